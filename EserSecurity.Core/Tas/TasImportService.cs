using System.Diagnostics;
using System.Globalization;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Imports;
using EserSecurity.Core.Roles;
using EserSecurity.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Tas;

/// <summary>
/// Imports the TAS "User Report by Application": who held which SER role in the legacy system. A preview says what
/// every row would do without writing; the commit reads the file again, checks it again against the database inside
/// its write transaction, and writes all of it or nothing. Importing the same file twice changes nothing.
/// State administrators import for any school system; district coordinators for their own, and rows of other school
/// systems in their file, and rows naming a person of another school system, are reported, not imported. In a state
/// administrator's file, rows whose TAS role the catalog does not know yet add that TAS role, unmapped, so that the
/// person still counts as a legacy SER user and it can be mapped; in a coordinator's file such rows are reported, since
/// the catalog is statewide.
/// </summary>
public sealed class TasImportService(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, IAccessChangeFeed changes, TimeProvider clock,
    ImportCommitGate commitGate, ConsoleMetrics metrics)
{
    private const int UpdateBatchSize = 500;

    /// <summary>The largest file the import reads, in bytes; an upload page limits its file to this.</summary>
    public const int MaxFileBytes = TasUserReport.MaxFileBytes;

    /// <summary>The columns a TAS User Report must have, by their names in the report; any order.</summary>
    public static IReadOnlyList<string> RequiredHeaders => TasUserReport.RequiredHeaders;

    /// <summary>What committing the file would do, row by row; writes nothing.</summary>
    /// <exception cref="TasReportFormatException">The file is empty, has no data rows, lacks required headers or is too large.</exception>
    public async Task<TasImportPreview> PreviewAsync(
        Caller caller, Stream file, IProgress<TasImportProgress>? progress = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await DemandImporterAsync(db, caller, ct);
        var report = TasUserReport.Parse(await TasUserReport.ReadAllAsync(file, ct), progress, ct);
        var lookups = await TasImportLookups.LoadAsync(db, scope, ct);
        return TasReportChecker.Check(report, lookups, progress, ct).Preview;
    }

    /// <summary>
    /// Records the file's legacy SER access in one transaction: new rows added, changed statuses updated, unknown TAS
    /// roles added unmapped, and one audit event that sums it up. Cancelled or failed, it leaves the database as it was.
    /// </summary>
    /// <exception cref="TasImportRefusedException">The file has invalid rows; its <see cref="TasImportRefusedException.Preview"/> lists them.</exception>
    /// <exception cref="TasReportFormatException">The file cannot be read as a TAS User Report.</exception>
    public async Task<TasImportResult> CommitAsync(
        Caller caller, Stream file, IProgress<TasImportProgress>? progress = null, CancellationToken ct = default)
    {
        using var turn = await commitGate.EnterAsync(ct);
        var startedAt = Stopwatch.GetTimestamp();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await DemandImporterAsync(db, caller, ct);
        // Parsed before the write lock is taken: only checking and writing hold it.
        var report = TasUserReport.Parse(await TasUserReport.ReadAllAsync(file, ct), progress, ct);

        await using var transaction = await db.BeginWriteAsync(ct);
        var plan = TasReportChecker.Check(report, await TasImportLookups.LoadAsync(db, scope, ct), progress, ct);
        var preview = plan.Preview;
        if (!preview.CanCommit)
        {
            var invalid = preview.Count(TasImportCategory.Invalid);
            throw new TasImportRefusedException(
                $"The file has {invalid.ToString("N0", CultureInfo.InvariantCulture)} invalid row{(invalid == 1 ? "" : "s")}; correct {(invalid == 1 ? "it" : "them")} and import again. Nothing was imported.",
                preview);
        }
        if (!preview.HasChanges)
        {
            return new TasImportResult(preview, 0, 0, 0);
        }

        var now = clock.GetUtcNow();
        if (plan.NewTasRoles.Count > 0)
        {
            scope.DemandStateAdministrator("add TAS roles to the statewide catalog");
        }
        var roleIds = await AddTasRolesAsync(db, plan.NewTasRoles, ct);
        var rows = plan.Additions.Select(a => new LegacySerAccess
        {
            StaffMemberId = a.StaffMemberId,
            SchoolSystemId = a.SchoolSystemId,
            SchoolId = a.SchoolId,
            TasRoleId = a.TasRoleId ?? roleIds[a.TasRoleName],
            TasStatus = a.Status,
            ImportedAt = now,
        }).ToList();
        var writing = progress is null ? null : new WritingProgress(progress, rows.Count);
        await RowInserter.InsertAsync(db, rows, keysFromStore: true, writing, ct);
        await UpdateStatusesAsync(db, plan.Updates, now, ct);

        await AuditLog.AppendAsync(db, caller, now, new AuditEntry("TasReport.Imported", "TasReport", preview.FileSha256,
            plan.SchoolSystemIds.Count == 1 ? plan.SchoolSystemIds.Single() : null, null, new
            {
                rows = preview.RowsRead,
                added = rows.Count,
                updated = plan.Updates.Count,
                unchanged = preview.Count(TasImportCategory.Unchanged),
                notImported = Enum.GetValues<TasImportCategory>()
                    .Where(c => c is not (TasImportCategory.ToAdd or TasImportCategory.ToUpdate or TasImportCategory.Unchanged) && preview.Count(c) > 0)
                    .ToDictionary(c => c.ToString(), preview.Count),
                tasRolesAdded = plan.NewTasRoles,
                schoolSystems = preview.SchoolSystemCodes,
            }), ct);
        await transaction.CommitAsync(ct);
        metrics.Imported(ImportKind.Tas, startedAt);

        foreach (var schoolSystemId in plan.SchoolSystemIds)
        {
            changes.Publish(new AccessChange(AccessChangeKind.LegacyAccessImported, schoolSystemId, null, null, caller.StaffMemberId, now));
        }
        if (plan.NewTasRoles.Count > 0)
        {
            changes.Publish(new AccessChange(AccessChangeKind.RoleCatalogChanged, null, null, null, caller.StaffMemberId, now));
        }
        return new TasImportResult(preview, rows.Count, plan.Updates.Count, plan.NewTasRoles.Count);
    }

    /// <summary>Passes the rows written on at once, on the writing thread (<see cref="Progress{T}"/> would post them later).</summary>
    private sealed class WritingProgress(IProgress<TasImportProgress> progress, int total) : IProgress<int>
    {
        public void Report(int value) => progress.Report(new TasImportProgress(TasImportStage.Writing, value, total));
    }

    private async Task<AccessScope> DemandImporterAsync(EserSecurityDbContext db, Caller caller, CancellationToken ct)
    {
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        if (!scope.IsStateAdministrator && !scope.IsDistrictCoordinator)
        {
            throw scope.Refuse("Only state administrators and district security coordinators may import the TAS User Report.");
        }
        return scope;
    }

    private static async Task<Dictionary<string, int>> AddTasRolesAsync(EserSecurityDbContext db, IReadOnlyList<string> names, CancellationToken ct)
    {
        var roles = names.Select(name => new TasRole { Name = name }).ToList();
        db.TasRoles.AddRange(roles);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return roles.ToDictionary(r => r.Name, r => r.Id, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>One statement per status and batch: a report rarely spells more than two or three statuses.</summary>
    private static async Task UpdateStatusesAsync(EserSecurityDbContext db, IReadOnlyList<(int Id, string Status)> updates, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var group in updates.GroupBy(u => u.Status, u => u.Id))
        {
            foreach (var batch in group.Chunk(UpdateBatchSize))
            {
                var status = group.Key;
                await db.LegacySerAccess.Where(l => batch.Contains(l.Id))
                    .ExecuteUpdateAsync(s => s.SetProperty(l => l.TasStatus, status).SetProperty(l => l.ImportedAt, now), ct);
            }
        }
    }
}
