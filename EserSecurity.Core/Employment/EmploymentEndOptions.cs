namespace EserSecurity.Core.Employment;

/// <summary>How often the console looks for ends of employment whose scheduled day has come.</summary>
public sealed class EmploymentEndOptions
{
    public const string SectionName = "EmploymentEnds";

    /// <summary>
    /// How long between two checks. A scheduled end applies at the first check on its day (days are UTC), so a leaver
    /// keeps access for at most this long into their last day.
    /// </summary>
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromMinutes(15);
}
