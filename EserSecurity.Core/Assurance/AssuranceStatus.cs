namespace EserSecurity.Core.Assurance;

/// <summary>Where a person stands with this school year's confidentiality assurance.</summary>
public enum AssuranceStatus
{
    Signed,
    Due,
    Overdue,
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
    /// Whether a typed signature matches the staff record's full name: letter case and extra spaces (before, after and
    /// between words) do not count, nor do differently composed accents.
    /// </summary>
    public static bool TypedNameMatches(string? typed, string fullName) =>
        string.Equals(NormalizeName(typed), NormalizeName(fullName), StringComparison.OrdinalIgnoreCase);

    /// <summary>Trims, collapses runs of white space to one space, and composes accents (Unicode form C).</summary>
    public static string NormalizeName(string? name) =>
        string.Join(' ', (name ?? "").Normalize(System.Text.NormalizationForm.FormC).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
