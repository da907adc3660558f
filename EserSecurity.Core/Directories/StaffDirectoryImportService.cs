using System.Diagnostics;
using System.Globalization;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Employment;
using EserSecurity.Core.Imports;
using EserSecurity.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Directories;

/// <summary>
/// Imports the state's staff directory extract (keyed by the eScholar Staff ID). A preview says what every row would do
/// without writing; the commit reads the file again, checks it again inside its write transaction and writes all of it
/// or nothing. The same file twice changes nothing. State administrators import for any school system, district
/// coordinators for the school systems they coordinate.
/// </summary>
public sealed class StaffDirectoryImportService(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, IAccessChangeFeed changes, TimeProvider clock,
    IOptions<ChangeOfDutiesOptions> changeOfDuties, ImportCommitGate commitGate, ConsoleMetrics metrics)
{
    /// <summary>The largest file the import reads, in bytes; an upload page limits its file to this.</summary>
    public const int MaxFileBytes = CsvImportFile.MaxFileBytes;

    /// <summary>The columns a staff file must have, in any order and case.</summary>
    public static IReadOnlyList<string> RequiredHeaders => StaffDirectoryFile.Layout.RequiredHeaders;

    /// <summary>The optional columns a staff file may have.</summary>
    public static IReadOnlyList<string> OptionalHeaders => StaffDirectoryFile.Layout.OptionalHeaders;

    /// <summary>What committing the file would do, row by row, and who is not in it; writes nothing.</summary>
    /// <exception cref="ImportFileFormatException">The file is empty, lacks required headers or is too large.</exception>
    /// <exception cref="ScopeDeniedException">The caller is neither a state administrator nor a district coordinator.</exception>
    public Task<DirectoryImportPreview> PreviewAsync(
        Caller caller, Stream file, IProgress<DirectoryImportProgress>? progress = null, CancellationToken ct = default) =>
        PreviewAsync(DirectoryImporter.Person(caller), file, progress, ct);

    /// <summary>The preview as a person or as the first import (<see cref="DirectoryImporter"/>); writes nothing.</summary>
    /// <exception cref="ImportFileFormatException">The file is empty, lacks required headers or is too large.</exception>
    /// <exception cref="ScopeDeniedException">The person is neither a state administrator nor a district coordinator.</exception>
    /// <exception cref="FirstDirectoryImportClosedException">The first import is asked for, but a state administrator exists.</exception>
    public async Task<DirectoryImportPreview> PreviewAsync(
        DirectoryImporter importer, Stream file, IProgress<DirectoryImportProgress>? progress = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = (await DemandImporterAsync(db, importer, ct)).Scope;
        var csv = await ReadAsync(file, progress, ct);
        var lookups = await DirectoryLookups.LoadAsync(db, withStaff: true, ct);
        return StaffDirectoryChecker.Check(csv, lookups, scope, clock.Today(), progress, ct).Preview;
    }

    /// <summary>
    /// Writes the file in one transaction: new people, changed records, directory changes, and one audit event.
    /// Cancelled or failed, it leaves the database as it was.
    /// </summary>
    /// <exception cref="DirectoryImportRefusedException">The file has blocking rows; its preview lists them.</exception>
    public Task<DirectoryImportResult> CommitAsync(
        Caller caller, Stream file, StaffImportOptions? options = null, IProgress<DirectoryImportProgress>? progress = null,
        CancellationToken ct = default) =>
        CommitAsync(DirectoryImporter.Person(caller), file, options, progress, ct);

    /// <summary>
    /// The commit as a person or as the first import (<see cref="DirectoryImporter"/>); who may import is checked again
    /// inside the write transaction.
    /// </summary>
    /// <exception cref="DirectoryImportRefusedException">The file has blocking rows; its preview lists them.</exception>
    /// <exception cref="FirstDirectoryImportClosedException">The first import is asked for, but a state administrator exists.</exception>
    public async Task<DirectoryImportResult> CommitAsync(
        DirectoryImporter importer, Stream file, StaffImportOptions? options = null, IProgress<DirectoryImportProgress>? progress = null,
        CancellationToken ct = default)
    {
        options ??= new StaffImportOptions();
        using var turn = await commitGate.EnterAsync(ct);
        var startedAt = Stopwatch.GetTimestamp();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await DemandImporterAsync(db, importer, ct);
        // Read before the write lock is taken: only checking and writing hold it.
        var csv = await ReadAsync(file, progress, ct);

        await using var transaction = await db.BeginWriteAsync(ct);
        var actor = await DemandImporterAsync(db, importer, ct);
        var scope = actor.Scope;
        var today = clock.Today();
        var lookups = await DirectoryLookups.LoadAsync(db, withStaff: true, ct);
        var plan = StaffDirectoryChecker.Check(csv, lookups, scope, today, progress, ct);
        var preview = plan.Preview;
        if (!preview.CanCommit)
        {
            throw new DirectoryImportRefusedException(preview.BlockingMessage!, preview);
        }
        var toEnd = options.MissingPeople == MissingPeopleAction.MarkEnded ? preview.NotInFile : [];
        if (!preview.HasChanges && toEnd.Count == 0)
        {
            return new DirectoryImportResult(preview, null, 0, 0, 0, 0, 0);
        }

        var now = clock.GetUtcNow();
        var import = new DirectoryImport
        {
            Kind = DirectoryKind.Staff, FileSha256 = preview.FileSha256, RowsRead = preview.RowsRead, ImportedAt = now,
            ImportedByStaffMemberId = actor.ActorId,
        };
        db.DirectoryImports.Add(import);
        await db.SaveChangesAsync(ct);
        var endedOn = preview.LatestStatusDate ?? today;
        var written = await StaffDirectoryWriter.WriteAsync(db, plan, toEnd, endedOn, import.Id, now, lookups, progress, ct);
        import.Created = written.Created;
        import.Updated = written.Updated;
        import.Ended = written.Ended;
        import.MissingEnded = written.MissingEnded;
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();

        // Leavers and movers lose their access in the same transaction: the import and its consequences are one change.
        var lifecycle = await EmploymentLifecycle.ApplyAsync(db, written.EmploymentEvents, actor.ActorId, now, today,
            changeOfDuties.Value.DecideWithinDays, ct);
        db.ChangeTracker.Clear();

        var schoolSystemIds = plan.SchoolSystemIds.Concat(toEnd.Select(m => lookups.SchoolSystemsByCode[m.SchoolSystemCode].Id)).ToHashSet();
        await actor.AuditAsync(db, now, new AuditEntry("StaffDirectory.Imported", nameof(DirectoryImport),
            import.Id.ToString(CultureInfo.InvariantCulture), schoolSystemIds.Count == 1 ? schoolSystemIds.Single() : null, null, new
            {
                file = preview.FileSha256,
                rows = preview.RowsRead,
                categories = Enum.GetValues<DirectoryRowCategory>().Where(c => preview.Count(c) > 0).ToDictionary(c => c.ToString(), preview.Count),
                created = written.Created,
                updated = written.Updated,
                ended = written.Ended,
                notInFile = preview.NotInFile.Count,
                notInFileAction = options.MissingPeople.ToString(),
                missingEnded = written.MissingEnded,
                directoryChanges = written.ChangesRecorded,
                schoolSystems = preview.SchoolSystemCodes,
                grantsEnded = lifecycle.GrantsEnded,
                requestsCancelled = lifecycle.RequestsCancelled,
                assignmentsEnded = lifecycle.AssignmentsEnded,
                changeOfDutiesListed = lifecycle.ChangeOfDutiesListed,
            }), ct);
        foreach (var entry in lifecycle.Audit)
        {
            await actor.AuditAsync(db, now, entry, ct);
        }
        await transaction.CommitAsync(ct);
        metrics.Imported(ImportKind.StaffDirectory, startedAt);

        // Employment and school systems decide scope: kept scopes are dropped before anyone hears of the change.
        scopes.Forget();
        foreach (var (staffMemberId, schoolSystemId) in written.Changed)
        {
            changes.Publish(new AccessChange(AccessChangeKind.StaffDirectoryChanged, schoolSystemId, null, null, actor.ActorId, now, staffMemberId));
        }
        foreach (var change in lifecycle.Changes)
        {
            changes.Publish(change);
        }
        return new DirectoryImportResult(preview, import.Id, written.Created, written.Updated, written.Ended, written.MissingEnded, written.ChangesRecorded);
    }

    internal static async Task<CsvImportFile> ReadAsync(Stream file, CsvImportLayout layout, IProgress<DirectoryImportProgress>? progress, CancellationToken ct)
    {
        var bytes = await CsvImportFile.ReadAllAsync(file, layout, ct);
        var csv = CsvImportFile.Parse(bytes, layout, progress is null ? null : new ReadingProgress(progress), ct);
        progress?.Report(new DirectoryImportProgress(DirectoryImportStage.Reading, csv.Rows.Count, csv.Rows.Count));
        return csv;
    }

    private static Task<CsvImportFile> ReadAsync(Stream file, IProgress<DirectoryImportProgress>? progress, CancellationToken ct) =>
        ReadAsync(file, StaffDirectoryFile.Layout, progress, ct);

    private async Task<ResolvedImporter> DemandImporterAsync(EserSecurityDbContext db, DirectoryImporter importer, CancellationToken ct)
    {
        var resolved = await importer.ResolveAsync(db, scopes, clock.Today(), ct);
        if (!resolved.Scope.IsStateAdministrator && !resolved.Scope.IsDistrictCoordinator)
        {
            throw resolved.Scope.Refuse("Only state administrators and district security coordinators may import the staff directory.");
        }
        return resolved;
    }

    private sealed class ReadingProgress(IProgress<DirectoryImportProgress> progress) : IProgress<int>
    {
        public void Report(int value) => progress.Report(new DirectoryImportProgress(DirectoryImportStage.Reading, value, 0));
    }
}
