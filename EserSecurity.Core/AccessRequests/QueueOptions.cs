namespace EserSecurity.Core.AccessRequests;

/// <summary>Settings of the approval queues (configuration section "Queue").</summary>
public sealed class QueueOptions
{
    public const string SectionName = "Queue";

    /// <summary>A request waiting longer than this many days is highlighted as stale.</summary>
    public int StaleAfterDays { get; set; } = 14;
}
