namespace EserSecurity.Core.LocalDuties;

/// <summary>Something a school system's own duties lack today.</summary>
public enum LocalDutiesFlag
{
    /// <summary>No written security policy is recorded.</summary>
    NoPolicy,

    /// <summary>The written policy was adopted more than 12 months ago.</summary>
    PolicyOutdated,

    /// <summary>No written procedure to remove access is recorded.</summary>
    NoRemovalProcedure,

    /// <summary>The procedure to remove access dates from more than 12 months ago.</summary>
    RemovalProcedureOutdated,

    /// <summary>A coordinator or supervisor of the school system attended no local training in the last 12 months.</summary>
    UntrainedPeople,
}

/// <summary>Where one school system stands with its own duties, and the people behind an <see cref="LocalDutiesFlag.UntrainedPeople"/> flag.</summary>
public sealed record LocalDutiesStatus(
    int SchoolSystemId, string SchoolSystemName, IReadOnlyList<LocalDutiesFlag> Flags, IReadOnlyList<string> UntrainedPeople)
{
    public bool NeedsAttention => Flags.Count > 0;

    /// <summary>One line per flag, as the school systems page, the coordinator's home and the state view show them.</summary>
    public IReadOnlyList<string> Describe() => Flags.Select(f => LocalDutiesRules.Describe(f, UntrainedPeople)).ToList();
}

/// <summary>
/// The one rule for the deck's local duties: a written policy and a written removal procedure no older than 12 months,
/// and every coordinator and supervisor of the school system trained locally in the last 12 months.
/// </summary>
public static class LocalDutiesRules
{
    /// <summary>How long a policy, a procedure or a training counts: 12 months.</summary>
    public const int ValidMonths = 12;

    /// <summary>The earliest date that still counts on <paramref name="today"/>: the same day 12 months ago.</summary>
    public static DateOnly CurrentFrom(DateOnly today) => today.AddMonths(-ValidMonths);

    public static IReadOnlyList<LocalDutiesFlag> FlagsOn(DateOnly today, DateOnly? policyAdoptedOn, DateOnly? removalProcedureOn, int untrainedPeople)
    {
        var from = CurrentFrom(today);
        var flags = new List<LocalDutiesFlag>();
        if (policyAdoptedOn is not DateOnly policy)
        {
            flags.Add(LocalDutiesFlag.NoPolicy);
        }
        else if (policy < from)
        {
            flags.Add(LocalDutiesFlag.PolicyOutdated);
        }
        if (removalProcedureOn is not DateOnly procedure)
        {
            flags.Add(LocalDutiesFlag.NoRemovalProcedure);
        }
        else if (procedure < from)
        {
            flags.Add(LocalDutiesFlag.RemovalProcedureOutdated);
        }
        if (untrainedPeople > 0)
        {
            flags.Add(LocalDutiesFlag.UntrainedPeople);
        }
        return flags;
    }

    /// <summary>Whether a training held on <paramref name="heldOn"/> still counts on <paramref name="today"/>.</summary>
    public static bool TrainingCounts(DateOnly heldOn, DateOnly today) => heldOn >= CurrentFrom(today) && heldOn <= today;

    public static string Describe(LocalDutiesFlag flag, IReadOnlyList<string> untrained) => flag switch
    {
        LocalDutiesFlag.NoPolicy => "No written security policy recorded",
        LocalDutiesFlag.PolicyOutdated => "Written security policy older than 12 months",
        LocalDutiesFlag.NoRemovalProcedure => "No written procedure to remove access recorded",
        LocalDutiesFlag.RemovalProcedureOutdated => "Procedure to remove access older than 12 months",
        _ => untrained.Count == 1
            ? $"{untrained[0]} has no local training in the last 12 months"
            : $"{untrained.Count} coordinators or supervisors have no local training in the last 12 months",
    };
}
