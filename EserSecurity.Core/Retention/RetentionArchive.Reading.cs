using System.Text.Json;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Retention;

public sealed partial class RetentionArchive
{
    /// <summary>
    /// The archived records and audit events concerning one person (as the subject or the one who acted), read from
    /// every batch file; state administrators only. The caller that shows them to someone audits that reading.
    /// </summary>
    /// <exception cref="ScopeDeniedException">The caller is not a state administrator, or the staff record does not exist.</exception>
    public async Task<ArchivedPersonHistory> ReadForPersonAsync(Caller caller, int staffMemberId, CancellationToken ct = default)
    {
        var scope = await scopes.GetScopeAsync(caller, ct);
        scope.DemandStateAdministrator("read the archive");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.StaffMembers.AnyAsync(s => s.Id == staffMemberId, ct))
        {
            throw scope.Refuse("That staff record does not exist or is outside your scope.");
        }
        var files = await db.ArchiveBatches.AsNoTracking().OrderBy(b => b.Number).Select(b => b.FileName).ToListAsync(ct);
        var records = new List<ArchivedRecord>();
        var events = new List<ArchivedAuditEvent>();
        foreach (var file in files)
        {
            await foreach (var line in ArchiveFiles.ReadDataAsync(Path.Combine(Folder, file), ct))
            {
                if (!line.PersonIds.Contains(staffMemberId))
                {
                    continue;
                }
                if (line.Kind == ArchiveKinds.AuditEvent)
                {
                    events.Add(new ArchivedAuditEvent(file, line.Record.Deserialize<AuditEvent>(ArchiveFiles.Json)!));
                }
                else
                {
                    records.Add(new ArchivedRecord(file, line.Kind, line.Id, line.At, line.SchoolSystemId, line.Record.GetRawText()));
                }
            }
        }
        return new ArchivedPersonHistory(staffMemberId, records, events);
    }

    /// <summary>
    /// The full check, on demand (state administrators only): every batch file's SHA-256, every manifest's keyed hash and
    /// its link to the previous manifest, the archived audit events' keyed hashes from the first into the live chain, and
    /// then the live chain itself. The daily check walks the live chain only, from the latest batch's last event.
    /// </summary>
    public async Task<ArchiveVerification> VerifyArchiveAsync(Caller caller, CancellationToken ct = default)
    {
        var scope = await scopes.GetScopeAsync(caller, ct);
        scope.DemandStateAdministrator("verify the archive");
        var result = await VerifyAllAsync(ct);
        if (!result.IsIntact)
        {
            RetentionLog.Broken(logger, result.Problem!);
        }
        return result;
    }

    internal async Task<ArchiveVerification> VerifyAllAsync(CancellationToken ct = default)
    {
        List<ArchiveBatch> batches;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            batches = await db.ArchiveBatches.AsNoTracking().OrderBy(b => b.Number).ToListAsync(ct);
        }
        var previousManifest = AuditLog.GenesisHash;
        var expectedPrevious = AuditLog.GenesisHash;
        long expectedSequence = 1;
        var keyedSeen = false;
        long archivedEvents = 0;
        var checkedBatches = 0;
        ArchiveVerification Broken(string problem) => new(false, checkedBatches, archivedEvents, 0, problem);

        foreach (var batch in batches)
        {
            var name = $"Archive batch {batch.Number} ({batch.FileName})";
            if (batch.Number != checkedBatches + 1)
            {
                return Broken($"Archive batch {checkedBatches + 1} is missing from the batch records.");
            }
            var dataPath = Path.Combine(Folder, batch.FileName);
            var manifestPath = Path.Combine(Folder, ArchiveFiles.ManifestName(batch.FileName));
            if (!File.Exists(dataPath) || !File.Exists(manifestPath))
            {
                return Broken($"{name}: its file or its manifest is missing from {Folder}.");
            }
            var (manifest, manifestHash, problem) = ArchiveFiles.ReadManifest(await File.ReadAllBytesAsync(manifestPath, ct), key);
            if (problem is not null || manifest is null)
            {
                return Broken($"{name}: the manifest is not valid: {problem}.");
            }
            if (manifestHash != batch.ManifestKeyedHash || manifest.Batch != batch.Number || manifest.File != batch.FileName)
            {
                return Broken($"{name}: the manifest is not the one recorded for this batch.");
            }
            if (manifest.PreviousManifestKeyedHash != previousManifest || batch.PreviousManifestKeyedHash != previousManifest)
            {
                return Broken($"{name}: the manifest does not link to the previous batch's manifest.");
            }
            var sha256 = await ArchiveFiles.Sha256Async(dataPath, ct);
            if (sha256 != manifest.FileSha256 || sha256 != batch.FileSha256)
            {
                return Broken($"{name}: the file's SHA-256 is not the one its manifest states: the file was altered.");
            }

            var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
            long? first = null;
            try
            {
                await foreach (var line in ArchiveFiles.ReadDataAsync(dataPath, ct))
                {
                    counts[line.Kind] = counts.GetValueOrDefault(line.Kind) + 1;
                    if (line.Kind != ArchiveKinds.AuditEvent)
                    {
                        continue;
                    }
                    var e = line.Record.Deserialize<AuditEvent>(ArchiveFiles.Json)!;
                    first ??= e.Sequence;
                    if (e.Sequence != expectedSequence)
                    {
                        return Broken($"{name}: audit event {expectedSequence} is missing.");
                    }
                    if (e.PreviousHash != expectedPrevious)
                    {
                        return Broken($"{name}: audit event {e.Sequence} does not link to event {e.Sequence - 1}.");
                    }
                    if ((keyedSeen && !e.Keyed) || AuditLog.ComputeHash(e, key) != e.Hash)
                    {
                        return Broken($"{name}: audit event {e.Sequence} was altered after it was written, or written without the key.");
                    }
                    keyedSeen |= e.Keyed;
                    expectedPrevious = e.Hash;
                    expectedSequence++;
                    archivedEvents++;
                }
            }
            catch (Exception ex) when (ex is InvalidDataException or JsonException)
            {
                return Broken($"{name}: the file cannot be read back.");
            }
            if (!counts.SequenceEqual(manifest.Counts))
            {
                return Broken($"{name}: the file's lines do not match the counts in its manifest.");
            }
            if (manifest.Audit is { } audit && (audit.FirstSequence != first || audit.LastSequence != expectedSequence - 1 || audit.LastHash != expectedPrevious))
            {
                return Broken($"{name}: the archived audit events do not match the range in its manifest.");
            }
            if (batch.AuditLastSequence is { } recordedLast && (recordedLast != expectedSequence - 1 || batch.AuditLastHash != expectedPrevious))
            {
                return Broken($"{name}: the batch record names another end of the archived chain than its file holds.");
            }
            previousManifest = batch.ManifestKeyedHash;
            checkedBatches++;
        }

        // The live chain starts from the latest batch's end, which the walk above has just reached from the files.
        var live = await auditLog.VerifyChainAsync(ct);
        return live.IsIntact
            ? new ArchiveVerification(true, checkedBatches, archivedEvents, live.EventsChecked - archivedEvents, null)
            : new ArchiveVerification(false, checkedBatches, archivedEvents, live.EventsChecked - archivedEvents, $"The live audit chain: {live.Problem}");
    }
}
