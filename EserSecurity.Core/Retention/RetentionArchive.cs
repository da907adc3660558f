using System.Globalization;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Data;
using EserSecurity.Core.Reviews;
using EserSecurity.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Retention;

/// <summary>
/// Moves records that ended more than the retention period ago (counted from the end of the school year they ended in)
/// out of the live tables into the archive folder: one compressed JSON Lines file per batch with a manifest beside it,
/// keyed with the audit chain's key and linked to the previous batch. Each batch is written to disk first; then one
/// write transaction records the batch, removes its rows and appends an <c>Archive.Batch</c> audit event, so the
/// batch is all or nothing and a second run finds nothing left to move. Nothing is deleted: a row leaves the live
/// tables only once its file and manifest are on disk.
/// </summary>
public sealed partial class RetentionArchive(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, AuditLog auditLog, AuditChainKey key, IOptions<RetentionOptions> options,
    TimeProvider clock, ILogger<RetentionArchive> logger)
{
    /// <summary>The actor of the archive's audit events.</summary>
    public const string ArchiveActorName = "System: archive of records past their retention period";

    /// <summary>The audit action that records a batch moved to the archive and its manifest's keyed hash.</summary>
    public const string BatchAction = "Archive.Batch";

    private const int IdsPerStatement = 900;

    private const int ConflictsBeforeGivingUp = 3;

    private string Folder => Path.GetFullPath(options.Value.Folder
        ?? throw new InvalidOperationException($"No archive folder is set: set {RetentionOptions.SectionName}:{nameof(RetentionOptions.Folder)}."));

    /// <summary>Moves every record due today, batch after batch, until none is left; returns the batches recorded.</summary>
    public async Task<ArchiveRunResult> RunAsync(CancellationToken ct = default)
    {
        var cutoff = ArchiveCutoff.On(clock.Today(), options.Value.Years);
        Directory.CreateDirectory(Folder);
        var batches = new List<ArchiveBatchResult>();
        var conflicts = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            ArchiveBatchResult? batch;
            try
            {
                batch = await ArchiveBatchAsync(cutoff, ct);
            }
            catch (ArchiveConflictException conflict) when (conflict.AnotherRun)
            {
                // Another run (another console instance) recorded this batch number first; it carries on with what is left.
                break;
            }
            catch (ArchiveConflictException) when (++conflicts < ConflictsBeforeGivingUp)
            {
                continue;
            }
            if (batch is null)
            {
                break;
            }
            conflicts = 0;
            batches.Add(batch);
            RetentionLog.Batch(logger, batch.Number, batch.FileName, batch.Records, batch.AuditEvents);
        }
        RemoveUnrecordedFiles(batches.Count == 0 ? null : batches[^1].Number);
        return new ArchiveRunResult(cutoff, batches);
    }

    private async Task<ArchiveBatchResult?> ArchiveBatchAsync(ArchiveCutoff cutoff, CancellationToken ct)
    {
        var size = options.Value.BatchSize;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var previous = await db.ArchiveBatches.AsNoTracking().OrderByDescending(b => b.Number).FirstOrDefaultAsync(ct);
        var archivedThrough = await db.ArchiveBatches.MaxAsync(b => b.AuditLastSequence, ct) ?? 0;
        var plan = await ArchivePlan.MakeAsync(db, cutoff, archivedThrough, size, ct);
        if (plan.IsEmpty)
        {
            return null;
        }

        var content = await ArchiveContent.ReadAsync(db, plan, ct);
        var number = (previous?.Number ?? 0) + 1;
        var previousHash = previous?.ManifestKeyedHash ?? AuditLog.GenesisHash;
        var now = clock.GetUtcNow();
        var dataName = ArchiveFiles.DataName(number);
        var dataPath = Path.Combine(Folder, dataName);
        var manifestPath = Path.Combine(Folder, ArchiveFiles.ManifestName(dataName));
        try
        {
            var (sha256, bytes) = await ArchiveFiles.WriteDataAsync(dataPath + ".tmp", content.Lines, ct);
            File.Move(dataPath + ".tmp", dataPath, overwrite: false);
            var audit = content.AuditEvents.Count == 0 ? null : new ArchiveAuditRange(
                content.AuditEvents[0].Sequence, content.AuditEvents[0].PreviousHash,
                content.AuditEvents[^1].Sequence, content.AuditEvents[^1].Hash, content.AuditEvents[^1].Keyed);
            var manifest = new ArchiveManifestContent(number, dataName, now, cutoff.At, cutoff.LastDueYear.Label,
                content.Counts, sha256, audit, previousHash);
            var (manifestBytes, manifestHash) = ArchiveFiles.Manifest(manifest, key);
            await ArchiveFiles.WriteAtomicallyAsync(manifestPath, manifestBytes, ct);

            var row = new ArchiveBatch
            {
                Number = number, FileName = dataName, CreatedAt = now, Cutoff = cutoff.At, RecordCount = content.Lines.Count,
                AuditEventCount = content.AuditEvents.Count, FileSha256 = sha256, ManifestKeyedHash = manifestHash,
                PreviousManifestKeyedHash = previousHash, AuditFirstSequence = audit?.FirstSequence, AuditLastSequence = audit?.LastSequence,
                AuditLastHash = audit?.LastHash, AuditLastKeyed = audit?.LastKeyed ?? previous?.AuditLastKeyed ?? false,
            };
            if (audit is null && previous is not null)
            {
                // A batch without audit events carries the archived end of the chain forward, so the latest batch always names it.
                (row.AuditLastSequence, row.AuditLastHash) = (previous.AuditLastSequence, previous.AuditLastHash);
            }
            await CommitAsync(plan, content, row, previous, cutoff, ct);
            return new ArchiveBatchResult(number, dataName, bytes, content.Lines.Count - content.AuditEvents.Count, content.AuditEvents.Count, content.Counts);
        }
        catch
        {
            // Files whose batch may have been recorded after all (a commit that failed to report) are never removed.
            if (!await MayBeRecordedAsync(dataName))
            {
                File.Delete(dataPath + ".tmp");
                File.Delete(dataPath);
                File.Delete(manifestPath + ".tmp");
                File.Delete(manifestPath);
            }
            throw;
        }
    }

    private async Task<bool> MayBeRecordedAsync(string fileName)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            return await db.ArchiveBatches.AnyAsync(b => b.FileName == fileName, CancellationToken.None);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            return true;
        }
    }

    /// <summary>
    /// One write transaction: checks that no other run recorded this batch number meanwhile, removes exactly the planned
    /// rows (each still due), records the batch and appends its audit event. A count that differs means the rows changed
    /// since they were read: the transaction rolls back and the run plans again.
    /// </summary>
    private async Task CommitAsync(ArchivePlan plan, ArchiveContent content, ArchiveBatch row, ArchiveBatch? previous, ArchiveCutoff cutoff, CancellationToken ct)
    {
        var c = cutoff.At;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.BeginWriteAsync(ct);
        var latest = await db.ArchiveBatches.AsNoTracking().OrderByDescending(b => b.Number).Select(b => (int?)b.Number).FirstOrDefaultAsync(ct);
        if (latest != previous?.Number)
        {
            throw new ArchiveConflictException(anotherRun: true);
        }
        // Requests and grants refer to each other (made from, renews). A leaving request's link to the grant it renews is
        // cleared first (the file keeps it), so grants and then requests leave in an order every provider's keys accept.
        foreach (var ids in plan.RequestIds.Chunk(IdsPerStatement))
        {
            await db.AccessRequests.Where(r => ids.Contains(r.Id) && r.RenewsGrantId != null)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.RenewsGrantId, (int?)null), ct);
        }

        var steps = 0;
        var changes = 0;
        var dutiesItems = 0;
        var reviewItems = 0;
        var requests = 0;
        var grants = 0;
        foreach (var ids in plan.RequestIds.Chunk(IdsPerStatement))
        {
            steps += await db.AccessRequestSteps.Where(s => ids.Contains(s.AccessRequestId)).ExecuteDeleteAsync(ct);
        }
        foreach (var ids in plan.GrantIds.Chunk(IdsPerStatement))
        {
            changes += await db.AccessDecisionChanges.Where(x => x.AccessGrantId != null && ids.Contains(x.AccessGrantId.Value) && x.At < c).ExecuteDeleteAsync(ct);
            dutiesItems += await db.ChangeOfDutiesItems.Where(x => ids.Contains(x.AccessGrantId) && x.DecidedAt != null && x.DecidedAt < c).ExecuteDeleteAsync(ct);
            reviewItems += await db.AccessReviewItems.Where(i => ids.Contains(i.AccessGrantId)
                && db.AccessReviews.Any(r => r.Id == i.AccessReviewId && r.Status == AccessReviewStatus.Completed && r.CompletedAt < c)).ExecuteDeleteAsync(ct);
            grants += await db.AccessGrants.Where(g => ids.Contains(g.Id) && g.EndedAt != null && g.EndedAt < c).ExecuteDeleteAsync(ct);
        }
        foreach (var ids in plan.RequestIds.Chunk(IdsPerStatement))
        {
            requests += await db.AccessRequests.Where(r => ids.Contains(r.Id) && r.ClosedAt != null && r.ClosedAt < c).ExecuteDeleteAsync(ct);
        }
        var assignments = 0;
        foreach (var ids in plan.AssignmentIds.Chunk(IdsPerStatement))
        {
            assignments += await db.CoordinatorAssignments.Where(a => ids.Contains(a.Id)).ExecuteDeleteAsync(ct);
        }
        var signatures = 0;
        var lastDueYear = cutoff.LastDueYear.StartYear;
        foreach (var ids in plan.SignatureIds.Chunk(IdsPerStatement))
        {
            signatures += await db.AssuranceSignatures.Where(s => ids.Contains(s.Id) && s.SchoolYear <= lastDueYear).ExecuteDeleteAsync(ct);
        }
        var notifications = 0;
        foreach (var ids in plan.NotificationIds.Chunk(IdsPerStatement))
        {
            notifications += await db.Notifications.Where(n => ids.Contains(n.Id) && n.CreatedAt < c && ArchivePlan.MailSettled.Contains(n.Mail)).ExecuteDeleteAsync(ct);
        }
        var events = plan.AuditFirst is { } first && plan.AuditLast is { } last
            ? await db.AuditEvents.Where(e => e.Sequence >= first && e.Sequence <= last && e.At < c).ExecuteDeleteAsync(ct)
            : 0;

        int Count(string kind) => content.Counts.GetValueOrDefault(kind);
        if (steps != Count(ArchiveKinds.AccessRequestStep) || changes != Count(ArchiveKinds.AccessDecisionChange)
            || dutiesItems != Count(ArchiveKinds.ChangeOfDutiesItem) || reviewItems != Count(ArchiveKinds.AccessReviewItem)
            || requests != Count(ArchiveKinds.AccessRequest) || grants != Count(ArchiveKinds.AccessGrant)
            || assignments != Count(ArchiveKinds.CoordinatorAssignment) || signatures != Count(ArchiveKinds.AssuranceSignature)
            || notifications != Count(ArchiveKinds.Notification) || events != Count(ArchiveKinds.AuditEvent))
        {
            throw new ArchiveConflictException(anotherRun: false);
        }

        db.ArchiveBatches.Add(row);
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsSystemAsync(db, ArchiveActorName, row.CreatedAt, new AuditEntry(BatchAction, nameof(ArchiveBatch),
            row.Number.ToString(CultureInfo.InvariantCulture), null, After: new
            {
                row.FileName, row.FileSha256, row.ManifestKeyedHash, row.PreviousManifestKeyedHash, row.Cutoff,
                LastDueSchoolYear = cutoff.LastDueYear.Label, Counts = content.Counts, row.AuditFirstSequence, row.AuditLastSequence, row.AuditLastHash,
            }), ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Removes files a failed or lost run left behind: those of batch numbers already recorded under another file. A
    /// file of the next number may belong to a run still under way, so it stays until a batch of that number is recorded.
    /// </summary>
    private void RemoveUnrecordedFiles(int? recordedThrough)
    {
        using var db = dbFactory.CreateDbContext();
        var recorded = db.ArchiveBatches.AsNoTracking().Select(b => new { b.Number, b.FileName }).ToList();
        if (recorded.Count == 0)
        {
            return;
        }
        var last = recordedThrough ?? recorded.Max(b => b.Number);
        var kept = recorded.SelectMany(b => new[] { b.FileName, ArchiveFiles.ManifestName(b.FileName) }).ToHashSet(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(Folder, ArchiveFiles.Prefix + "*"))
        {
            var name = Path.GetFileName(path);
            if (ArchiveFiles.NumberOf(name) is { } number && number <= last && !kept.Contains(name))
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>Another run recorded a batch, or the planned rows changed, between reading and removing them.</summary>
    private sealed class ArchiveConflictException(bool anotherRun) : Exception("The rows to archive changed while the batch was written.")
    {
        public bool AnotherRun => anotherRun;
    }
}

/// <summary>The archive's log lines.</summary>
internal static partial class RetentionLog
{
    [LoggerMessage(EventId = 7301, Level = LogLevel.Information,
        Message = "Archive batch {Number} recorded in {FileName}: {Records} records and {AuditEvents} audit events left the live tables.")]
    public static partial void Batch(ILogger logger, int number, string fileName, int records, int auditEvents);

    [LoggerMessage(EventId = 7302, Level = LogLevel.Error, Message = "The archive check found a problem: {Problem}")]
    public static partial void Broken(ILogger logger, string problem);
}
