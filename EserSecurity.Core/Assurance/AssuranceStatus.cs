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

    public static AssuranceStatus StatusOn(DateOnly today, bool signedThisYear, int graceDays = DefaultGraceDays)
    {
        if (signedThisYear)
        {
            return AssuranceStatus.Signed;
        }
        var yearStart = SchoolYear.Containing(today).StartsOn;
        return today < yearStart.AddDays(graceDays) ? AssuranceStatus.Due : AssuranceStatus.Overdue;
    }
}
