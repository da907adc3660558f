namespace EserSecurity.Core.Assurance;

/// <summary>Where a person stands with this school year's confidentiality assurance.</summary>
public enum AssuranceStatus
{
    Signed,
    Due,
    Overdue,
}

/// <summary>How the IEP Forms grants of people who have not signed after the grace period are marked (setting <c>Assurance:UnsignedIepForms</c>).</summary>
public enum UnsignedIepFormsHandling
{
    /// <summary>Marked for attention; the grant stands.</summary>
    Flag,

    /// <summary>Marked suspended: the grant is not to be honoured until the person signs.</summary>
    Suspend,
}

/// <summary>Where an IEP Forms grant stands with its holder's assurance.</summary>
public enum IepFormsStanding
{
    /// <summary>Not an IEP Forms grant, the holder signed, or the grace period is still running.</summary>
    InForce,

    /// <summary>The holder has not signed after the grace period, and the setting is to flag.</summary>
    Flagged,

    /// <summary>The holder has not signed after the grace period, and the setting is to suspend.</summary>
    Suspended,
}

public static class AssuranceRules
{
    /// <summary>Days after July 1 in which an unsigned statement is "due" rather than "overdue".</summary>
    public const int DefaultGraceDays = 30;

    /// <summary>The longest grace period a configuration may set: most of a school year.</summary>
    public const int MaxGraceDays = 300;

    public static AssuranceStatus StatusOn(DateOnly today, bool signedThisYear, int graceDays = DefaultGraceDays)
    {
        if (signedThisYear)
        {
            return AssuranceStatus.Signed;
        }
        return IsInGracePeriod(today, graceDays) ? AssuranceStatus.Due : AssuranceStatus.Overdue;
    }

    /// <summary>The first day on which an unsigned statement of <paramref name="year"/> is overdue.</summary>
    public static DateOnly OverdueFrom(SchoolYear year, int graceDays = DefaultGraceDays) => year.StartsOn.AddDays(graceDays);

    /// <summary>Whether an unsigned statement is still only due on <paramref name="today"/>.</summary>
    public static bool IsInGracePeriod(DateOnly today, int graceDays = DefaultGraceDays) =>
        today < OverdueFrom(SchoolYear.Containing(today), graceDays);

    /// <summary>
    /// The one rule for an IEP Forms grant whose holder has not signed this school year's statement: in force during the
    /// grace period, then flagged or suspended as configured.
    /// </summary>
    public static IepFormsStanding IepFormsStandingOn(
        DateOnly today, bool grantsIepForms, bool signedThisYear, int graceDays, UnsignedIepFormsHandling handling) =>
        !grantsIepForms || StatusOn(today, signedThisYear, graceDays) != AssuranceStatus.Overdue ? IepFormsStanding.InForce
        : handling == UnsignedIepFormsHandling.Suspend ? IepFormsStanding.Suspended
        : IepFormsStanding.Flagged;

    /// <summary>
    /// Whether a typed signature matches the staff record's full name: letter case and extra spaces (before, after and
    /// between words) do not count, nor do differently composed accents.
    /// </summary>
    public static bool TypedNameMatches(string? typed, string fullName) =>
        string.Equals(NormalizeName(typed), NormalizeName(fullName), StringComparison.OrdinalIgnoreCase);

    /// <summary>Trims, collapses runs of white space to one space, and composes accents (Unicode form C).</summary>
    public static string NormalizeName(string? name) =>
        string.Join(' ', (name ?? "").Normalize(System.Text.NormalizationForm.FormC).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
