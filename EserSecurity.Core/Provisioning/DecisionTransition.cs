namespace EserSecurity.Core.Provisioning;

/// <summary>
/// A day-driven change to many decisions (go-live day, the day an unsigned assurance becomes overdue) that has been written
/// to the change feed. Its key makes the calendar's run idempotent across restarts and console instances.
/// </summary>
public class DecisionTransition
{
    public const int KeyMaxLength = 80;

    public required string Key { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>How many people's decisions the transition changed.</summary>
    public int People { get; set; }
}
