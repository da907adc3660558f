namespace EserSecurity.Core.AccessRequests;

/// <summary>Settings of the approval queues (configuration section "Queue").</summary>
public sealed class QueueOptions
{
    public const string SectionName = "Queue";

    /// <summary>A request waiting longer than this many days is highlighted as stale.</summary>
    public int StaleAfterDays { get; set; } = 14;

    /// <summary>
    /// How long identical queue reads (pages and badge counts) are shared while no change is published; zero turns
    /// sharing off. Only a process whose change feed carries every change may share: its reads never outlive a change.
    /// </summary>
    public TimeSpan ShareReadsFor { get; set; } = TimeSpan.FromSeconds(1);
}
