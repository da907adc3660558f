namespace EserSecurity.Core.Notifications;

/// <summary>How the console follows up waiting work (configuration section <c>Notifications</c>).</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>
    /// Days after the reminder (sent at the queue's stale age) before a request still waiting is escalated to the school
    /// system's district coordinators, and as many again before it reaches the state administrators (1–60).
    /// </summary>
    public int EscalateAfterDays { get; set; } = 5;

    /// <summary>How often the console looks for requests to remind about or escalate.</summary>
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromMinutes(15);

    internal bool IsValid => EscalateAfterDays is >= 1 and <= 60 && CheckEvery >= TimeSpan.FromSeconds(1) && CheckEvery <= TimeSpan.FromDays(1);

    internal const string Rule = "Notifications: EscalateAfterDays is 1 to 60; CheckEvery is 1 second to 1 day.";
}
