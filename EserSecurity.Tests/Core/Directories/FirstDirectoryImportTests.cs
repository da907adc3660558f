using EserSecurity.Core.Administration;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Directories;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EserSecurity.Tests.Core.Directories;

/// <summary>
/// The first directory import: on a database with no active state administrator, the school and staff directories load
/// as the system, statewide, audited as such; once a state administrator exists, an import without a person is refused,
/// and the commit checks that again inside its write transaction.
/// </summary>
public sealed class FirstDirectoryImportTests
{
    private const string FirstAdminStaffId = "7000001";

    private static DirectoryCsv Schools() => DirectoryCsv.Schools()
        .Row("101", "Alpha Parish Schools", "101001", "Alpha Elementary", "Open")
        .Row("101", "Alpha Parish Schools", "101002", "Alpha Middle", "Open")
        .Row("202", "Bravo City Schools", "202001", "Bravo Elementary", "Open");

    private static DirectoryCsv Staff() => DirectoryCsv.Staff()
        .Row(FirstAdminStaffId, "Thibodeaux", "Renée", "renee@example.org", "101", "101001", "eSER Program Manager", "Active", "", "")
        .Row("5550001", "Newman", "Nora", "nora@example.org", "101", "101001;101002", "Teacher", "Active", "", "")
        .Row("5550002", "Baker", "Bo", "bo@example.org", "202", "202001", "Teacher", "Active", "", "");

    private static StateAdministratorService Bootstrapper(TestDatabase database) =>
        ActivatorUtilities.CreateInstance<StateAdministratorService>(database.Services,
            Options.Create(new BootstrapOptions { StateAdministrator = FirstAdminStaffId }), NullLogger<StateAdministratorService>.Instance);

    [Fact]
    public async Task OnAnEmptyDatabase_SchoolsThenStaff_ImportAsTheSystem_Statewide_AuditedAsTheFirstImport_WithNoActor()
    {
        await using var database = await TestDatabase.CreateAsync();
        var schools = database.Get<SchoolDirectoryImportService>();
        var staff = database.Get<StaffDirectoryImportService>();
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        var schoolPreview = await schools.PreviewAsync(DirectoryImporter.FirstImport, Schools().ToStream());
        var schoolResult = await schools.CommitAsync(DirectoryImporter.FirstImport, Schools().ToStream());
        var staffPreview = await staff.PreviewAsync(DirectoryImporter.FirstImport, Staff().ToStream());
        var staffResult = await staff.CommitAsync(DirectoryImporter.FirstImport, Staff().ToStream());

        Assert.Equal(3, schoolPreview.Count(DirectoryRowCategory.New));
        Assert.Equal(5, schoolResult.Created);
        Assert.Equal(3, staffPreview.Count(DirectoryRowCategory.New));
        Assert.Equal(0, staffPreview.Count(DirectoryRowCategory.OutOfScope));
        Assert.Equal(3, staffResult.Created);
        await using var db = await database.OpenAsync();
        Assert.Equal(3, await db.StaffMembers.CountAsync());
        Assert.All(await db.DirectoryImports.ToListAsync(), i => Assert.Null(i.ImportedByStaffMemberId));
        var audit = await db.AuditEvents.OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal(
            [("SchoolDirectory.Imported", AuditLog.FirstDirectoryImportActorName, (int?)null), ("StaffDirectory.Imported", AuditLog.FirstDirectoryImportActorName, null)],
            audit.Select(e => (e.Action, e.ActorName, e.ActorId)));
        var changes = await recorder.WaitForAsync(c => c.Kind is AccessChangeKind.SchoolDirectoryChanged or AccessChangeKind.StaffDirectoryChanged, 5);
        Assert.All(changes, c => Assert.Null(c.ActorId));

        // A second first import moves Nora to one school; her record names the system as who recorded the change.
        var moved = DirectoryCsv.Staff()
            .Row("5550001", "Newman", "Nora", "nora@example.org", "101", "101002", "Teacher", "Active", "", "");
        Assert.Equal(1, (await staff.CommitAsync(DirectoryImporter.FirstImport, moved.ToStream())).Updated);
        var nora = await db.StaffMembers.SingleAsync(p => p.StaffId == "5550001");
        var renee = await db.StaffMembers.SingleAsync(p => p.StaffId == FirstAdminStaffId);
        Assert.Equal(BootstrapOutcome.Made, (await Bootstrapper(database).BootstrapAsync()).Outcome);
        Assert.True((await database.Get<AuditLog>().VerifyAsync(TestState.CallerFor(renee))).IsIntact);
        var record = await database.Get<DirectoryRecords>().GetPersonAsync(TestState.CallerFor(renee), nora.Id);
        Assert.Equal(AuditLog.FirstDirectoryImportActorName, Assert.Single(record.Changes).RecordedByName);
    }

    [Fact]
    public async Task OnceAStateAdministratorExists_AnImportWithoutAPerson_IsRefused_AtPreviewAndCommit_WritingNothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var staff = database.Get<StaffDirectoryImportService>();
        var schools = database.Get<SchoolDirectoryImportService>();
        await schools.CommitAsync(DirectoryImporter.FirstImport, Schools().ToStream());
        await staff.CommitAsync(DirectoryImporter.FirstImport, Staff().ToStream());
        Assert.Equal(BootstrapOutcome.Made, (await Bootstrapper(database).BootstrapAsync()).Outcome);
        var more = DirectoryCsv.Staff().Row("5550003", "Carter", "Cy", "cy@example.org", "101", "101001", "Teacher", "Active", "", "");

        await Assert.ThrowsAsync<FirstDirectoryImportClosedException>(() => staff.PreviewAsync(DirectoryImporter.FirstImport, more.ToStream()));
        await Assert.ThrowsAsync<FirstDirectoryImportClosedException>(() => staff.CommitAsync(DirectoryImporter.FirstImport, more.ToStream()));
        await Assert.ThrowsAsync<FirstDirectoryImportClosedException>(() => schools.CommitAsync(DirectoryImporter.FirstImport, Schools().ToStream()));

        await using var db = await database.OpenAsync();
        Assert.False(await db.StaffMembers.AnyAsync(p => p.StaffId == "5550003"));
        // The state administrator imports as themself.
        var admin = await db.StaffMembers.SingleAsync(p => p.StaffId == FirstAdminStaffId);
        var result = await staff.CommitAsync(TestState.CallerFor(admin), more.ToStream());
        Assert.Equal(1, result.Created);
        var last = await db.AuditEvents.OrderByDescending(e => e.Sequence).FirstAsync();
        Assert.Equal(("StaffDirectory.Imported", (int?)admin.Id), (last.Action, last.ActorId));
    }

    [Fact]
    public async Task TheCommit_ChecksAgainInsideItsTransaction_SoABootstrapAfterThePreviewCheck_RefusesIt()
    {
        await using var database = await TestDatabase.CreateAsync();
        var staff = database.Get<StaffDirectoryImportService>();
        await database.Get<SchoolDirectoryImportService>().CommitAsync(DirectoryImporter.FirstImport, Schools().ToStream());
        await staff.CommitAsync(DirectoryImporter.FirstImport, Staff().ToStream());
        var more = DirectoryCsv.Staff().Row("5550003", "Carter", "Cy", "cy@example.org", "101", "101001", "Teacher", "Active", "", "");
        // The commit checks the importer, reads the file, then takes the write lock and checks again. While it reads
        // (after the first check, before the lock), the bootstrap makes the first state administrator.
        var bootstrapped = new BootstrapDuringReading(() => Bootstrapper(database).BootstrapAsync().GetAwaiter().GetResult().Outcome);

        await Assert.ThrowsAsync<FirstDirectoryImportClosedException>(
            () => staff.CommitAsync(DirectoryImporter.FirstImport, more.ToStream(), progress: bootstrapped));

        Assert.Equal(BootstrapOutcome.Made, bootstrapped.Outcome);
        await using var db = await database.OpenAsync();
        Assert.False(await db.StaffMembers.AnyAsync(p => p.StaffId == "5550003"));
        Assert.Equal(2, await db.DirectoryImports.CountAsync());
        Assert.Equal("StateAdministrator.Added", (await db.AuditEvents.OrderByDescending(e => e.Sequence).FirstAsync()).Action);
    }

    /// <summary>Runs the bootstrap once, at the first progress report of the file being read (outside the write lock).</summary>
    private sealed class BootstrapDuringReading(Func<BootstrapOutcome> bootstrap) : IProgress<DirectoryImportProgress>
    {
        public BootstrapOutcome? Outcome { get; private set; }

        public void Report(DirectoryImportProgress value)
        {
            if (value.Stage == DirectoryImportStage.Reading && Outcome is null)
            {
                Outcome = bootstrap();
            }
        }
    }
}
