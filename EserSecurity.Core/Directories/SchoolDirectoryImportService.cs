using System.Diagnostics;
using System.Globalization;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Imports;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Directories;

/// <summary>
/// Imports the state's school directory: school systems (LEA code and name) and their schools (site code, name, open or
/// closed). A closed school gets a closing date and is never deleted; reopening clears it. State administrators only.
/// </summary>
public sealed class SchoolDirectoryImportService(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, IAccessChangeFeed changes, TimeProvider clock,
    ImportCommitGate commitGate, ConsoleMetrics metrics)
{
    public const int MaxFileBytes = CsvImportFile.MaxFileBytes;

    /// <summary>The columns a school file must have, in any order and case.</summary>
    public static IReadOnlyList<string> RequiredHeaders => SchoolDirectoryFile.Layout.RequiredHeaders;

    /// <summary>What committing the file would do, row by row; writes nothing.</summary>
    /// <exception cref="ImportFileFormatException">The file is empty, lacks required headers or is too large.</exception>
    /// <exception cref="ScopeDeniedException">The caller is not a state administrator.</exception>
    public Task<DirectoryImportPreview> PreviewAsync(
        Caller caller, Stream file, IProgress<DirectoryImportProgress>? progress = null, CancellationToken ct = default) =>
        PreviewAsync(DirectoryImporter.Person(caller), file, progress, ct);

    /// <summary>What committing the file would do, as a person or as the first import (<see cref="DirectoryImporter"/>); writes nothing.</summary>
    /// <exception cref="ImportFileFormatException">The file is empty, lacks required headers or is too large.</exception>
    /// <exception cref="ScopeDeniedException">The person is not a state administrator.</exception>
    /// <exception cref="FirstDirectoryImportClosedException">The first import is asked for, but a state administrator exists.</exception>
    public async Task<DirectoryImportPreview> PreviewAsync(
        DirectoryImporter importer, Stream file, IProgress<DirectoryImportProgress>? progress = null, CancellationToken ct = default)
    {
        using var turn = await commitGate.EnterAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await DemandImporterAsync(db, importer, ct);
        var csv = await StaffDirectoryImportService.ReadAsync(file, SchoolDirectoryFile.Layout, progress, ct);
        var lookups = await DirectoryLookups.LoadAsync(db, withStaff: false, ct);
        return SchoolDirectoryChecker.Check(csv, lookups, progress).Preview;
    }

    /// <summary>Writes the file in one transaction with one audit event; the same file again writes nothing.</summary>
    /// <exception cref="DirectoryImportRefusedException">The file has blocking rows; its preview lists them.</exception>
    public Task<DirectoryImportResult> CommitAsync(
        Caller caller, Stream file, IProgress<DirectoryImportProgress>? progress = null, CancellationToken ct = default) =>
        CommitAsync(DirectoryImporter.Person(caller), file, progress, ct);

    /// <summary>
    /// Writes the file as a person or as the first import (<see cref="DirectoryImporter"/>), in one transaction with one
    /// audit event; who may import is checked again inside that transaction.
    /// </summary>
    /// <exception cref="DirectoryImportRefusedException">The file has blocking rows; its preview lists them.</exception>
    /// <exception cref="FirstDirectoryImportClosedException">The first import is asked for, but a state administrator exists.</exception>
    public async Task<DirectoryImportResult> CommitAsync(
        DirectoryImporter importer, Stream file, IProgress<DirectoryImportProgress>? progress = null, CancellationToken ct = default)
    {
        using var turn = await commitGate.EnterAsync(ct);
        var startedAt = Stopwatch.GetTimestamp();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await DemandImporterAsync(db, importer, ct);
        var csv = await StaffDirectoryImportService.ReadAsync(file, SchoolDirectoryFile.Layout, progress, ct);

        await using var transaction = await db.BeginWriteAsync(ct);
        var actor = await DemandImporterAsync(db, importer, ct);
        var lookups = await DirectoryLookups.LoadAsync(db, withStaff: false, ct);
        var plan = SchoolDirectoryChecker.Check(csv, lookups, progress);
        var preview = plan.Preview;
        if (!preview.CanCommit)
        {
            throw new DirectoryImportRefusedException(preview.BlockingMessage!, preview);
        }
        if (!preview.HasChanges)
        {
            return new DirectoryImportResult(preview, null, 0, 0, 0, 0, 0);
        }

        var now = clock.GetUtcNow();
        var today = clock.Today();
        var total = plan.SchoolSystems.Count + plan.Schools.Count;
        var systemIds = lookups.SchoolSystemsByCode.ToDictionary(s => s.Key, s => s.Value.Id, StringComparer.Ordinal);
        var touched = new HashSet<int>();
        var created = 0;
        var updated = 0;
        var closed = 0;

        var newSystems = plan.SchoolSystems.Where(s => s.IsNew)
            // The directory does not say what kind a school system is; a state administrator can tell later.
            .Select(s => new SchoolSystem { Code = s.Code, Name = s.Name, Kind = SchoolSystemKind.Other }).ToList();
        db.SchoolSystems.AddRange(newSystems);
        await db.SaveChangesAsync(ct);
        foreach (var system in newSystems)
        {
            systemIds[system.Code] = system.Id;
            touched.Add(system.Id);
        }
        created += newSystems.Count;
        foreach (var renamed in plan.SchoolSystems.Where(s => s.Renamed))
        {
            var id = renamed.Known!.Id;
            await db.SchoolSystems.Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.Name, renamed.Name), ct);
            touched.Add(id);
            updated++;
        }
        progress?.Report(new DirectoryImportProgress(DirectoryImportStage.Writing, plan.SchoolSystems.Count, total));

        var newSchools = plan.Schools.Where(s => s.Known is null).Select(s => new School
        {
            SiteCode = s.SiteCode, Name = s.Name, SchoolSystemId = systemIds[s.LeaCode], ClosedOn = s.Closed ? today : null,
        }).ToList();
        await RowInserter.InsertAsync(db, newSchools, keysFromStore: true, null, ct);
        created += newSchools.Count;
        foreach (var school in plan.Schools.Where(s => s.Known is not null))
        {
            var known = school.Known!;
            var closedOn = school.Closed ? known.ClosedOn ?? today : (DateOnly?)null;
            await db.Schools.Where(s => s.Id == known.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Name, school.Name).SetProperty(x => x.ClosedOn, closedOn), ct);
            touched.Add(known.SchoolSystemId);
            updated++;
            if (school.Closed && known.ClosedOn is null)
            {
                closed++;
            }
        }
        foreach (var school in newSchools)
        {
            touched.Add(school.SchoolSystemId);
        }
        progress?.Report(new DirectoryImportProgress(DirectoryImportStage.Writing, total, total));

        var import = new DirectoryImport
        {
            Kind = DirectoryKind.Schools, FileSha256 = preview.FileSha256, RowsRead = preview.RowsRead, ImportedAt = now,
            ImportedByStaffMemberId = actor.ActorId, Created = created, Updated = updated, Ended = closed,
        };
        db.DirectoryImports.Add(import);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        await actor.AuditAsync(db, now, new AuditEntry("SchoolDirectory.Imported", nameof(DirectoryImport),
            import.Id.ToString(CultureInfo.InvariantCulture), touched.Count == 1 ? touched.Single() : null, null, new
            {
                file = preview.FileSha256,
                rows = preview.RowsRead,
                categories = Enum.GetValues<DirectoryRowCategory>().Where(c => preview.Count(c) > 0).ToDictionary(c => c.ToString(), preview.Count),
                schoolSystemsCreated = newSystems.Count,
                schoolsCreated = newSchools.Count,
                updated,
                closed,
                schoolSystems = preview.SchoolSystemCodes,
            }), ct);
        await transaction.CommitAsync(ct);
        metrics.Imported(ImportKind.SchoolDirectory, startedAt);

        foreach (var schoolSystemId in touched.Order())
        {
            changes.Publish(new AccessChange(AccessChangeKind.SchoolDirectoryChanged, schoolSystemId, null, null, actor.ActorId, now));
        }
        return new DirectoryImportResult(preview, import.Id, created, updated, closed, 0, 0);
    }

    private async Task<ResolvedImporter> DemandImporterAsync(EserSecurityDbContext db, DirectoryImporter importer, CancellationToken ct)
    {
        var resolved = await importer.ResolveAsync(db, scopes, clock.Today(), ct);
        resolved.Scope.DemandStateAdministrator("import the school directory");
        return resolved;
    }
}
