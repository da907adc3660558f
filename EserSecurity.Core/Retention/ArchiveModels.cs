using EserSecurity.Core.Assurance;
using EserSecurity.Core.Audit;

namespace EserSecurity.Core.Retention;

/// <summary>
/// Which records are due: those that ended before <see cref="At"/>, the start of the school year after
/// <see cref="LastDueYear"/>, the last school year whose end lies more than the retention period in the past.
/// </summary>
public sealed record ArchiveCutoff(SchoolYear LastDueYear, DateTimeOffset At)
{
    /// <summary>The cutoff on <paramref name="today"/> (UTC) for a retention of <paramref name="years"/> years after the end of the school year.</summary>
    public static ArchiveCutoff On(DateOnly today, int years)
    {
        // A record is due when the end of its school year lies before today minus the retention period.
        var limit = today.AddYears(-years);
        var year = SchoolYear.Containing(limit.AddDays(-1));
        if (year.EndsOn >= limit)
        {
            year = new SchoolYear(year.StartYear - 1);
        }
        return new ArchiveCutoff(year, new DateTimeOffset(year.EndsOn.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
    }
}

/// <summary>What one run of the archive did: the batches it recorded and how many records and audit events moved.</summary>
public sealed record ArchiveRunResult(ArchiveCutoff Cutoff, IReadOnlyList<ArchiveBatchResult> Batches)
{
    public int Records => Batches.Sum(b => b.Records);

    public int AuditEvents => Batches.Sum(b => b.AuditEvents);
}

/// <summary>One batch recorded: its number, file, size and how many lines of each kind it holds.</summary>
public sealed record ArchiveBatchResult(int Number, string FileName, long FileBytes, int Records, int AuditEvents, IReadOnlyDictionary<string, int> Counts);

/// <summary>The full check of the archive and the live chain: every file, manifest and link, then the live events.</summary>
public sealed record ArchiveVerification(bool IsIntact, int BatchesChecked, long ArchivedEventsChecked, long LiveEventsChecked, string? Problem);

/// <summary>An archived audit event with the archive batch file it is kept in.</summary>
public sealed record ArchivedAuditEvent(string BatchFile, AuditEvent Event);

/// <summary>
/// An archived record other than an audit event: its kind (<see cref="ArchiveKinds"/>), id, the time it ended or
/// happened, its school system and every column as JSON.
/// </summary>
public sealed record ArchivedRecord(string BatchFile, string Kind, string Id, DateTimeOffset At, int? SchoolSystemId, string Json);

/// <summary>What the archive keeps about one person: the records and the audit events where they acted or were the subject.</summary>
public sealed record ArchivedPersonHistory(int StaffMemberId, IReadOnlyList<ArchivedRecord> Records, IReadOnlyList<ArchivedAuditEvent> AuditEvents);

/// <summary>The kinds of line in an archive file.</summary>
public static class ArchiveKinds
{
    public const string AccessRequest = "access-request";
    public const string AccessRequestStep = "access-request-step";
    public const string AccessGrant = "access-grant";
    public const string AccessDecisionChange = "access-decision-change";
    public const string ChangeOfDutiesItem = "change-of-duties-item";
    public const string AccessReviewItem = "access-review-item";
    public const string CoordinatorAssignment = "coordinator-assignment";
    public const string AssuranceSignature = "assurance-signature";
    public const string Notification = "notification";
    public const string AuditEvent = "audit-event";
}
