namespace EserSecurity.Core.Employment;

/// <summary>How long coordinators have to decide a change-of-duties item, and what happens when they do not.</summary>
public sealed class ChangeOfDutiesOptions
{
    public const string SectionName = "ChangeOfDuties";

    /// <summary>The longest deadline the console accepts, in days.</summary>
    public const int MaxDecideWithinDays = 365;

    /// <summary>Days after a move within which coordinators decide; the default applies from the day after (1–365).</summary>
    public int DecideWithinDays { get; set; } = 10;

    /// <summary>What applies to an item not decided in time: <see cref="ChangeOfDutiesDecision.End"/> (the default) or Keep.</summary>
    public ChangeOfDutiesDecision DefaultAction { get; set; } = ChangeOfDutiesDecision.End;

    /// <summary>How often the background check for items past their deadline runs.</summary>
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromHours(1);
}
