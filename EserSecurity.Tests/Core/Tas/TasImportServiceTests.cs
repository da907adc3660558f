using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Roles;
using EserSecurity.Core.Security;
using EserSecurity.Core.Tas;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Tas;

/// <summary>The preview's categories, the all-or-nothing commit, re-import, and who may import what.</summary>
public sealed class TasImportServiceTests
{
    private static async Task<(TestDatabase Db, TestState State, LegacyAccessState Tas, TasImportService Service)> ArrangeAsync()
    {
        var db = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(db);
        var tas = await LegacyAccessState.CreateAsync(db, state);
        return (db, state, tas, db.Get<TasImportService>());
    }

    private static Caller As(EserSecurity.Core.Staff.StaffMember person) => TestState.CallerFor(person);

    /// <summary>Lines 2–4 are clean: two new rows (one with a TAS role nobody knows yet) and a status change.</summary>
    private static TasReportCsv CleanFile(TestState state) => new TasReportCsv()
        .Row(state.UserA1, "101", "101001", LegacyAccessState.TasDataEntry)
        .Row(state.UserA3, "101", "101003", "SER Behaviour Plans")
        .Row(state.DistrictA, "101", "", LegacyAccessState.TasReports);

    private static async Task<int> CountAsync<T>(TestDatabase database) where T : class
    {
        await using var db = await database.OpenAsync();
        return await db.Set<T>().CountAsync();
    }

    [Fact]
    public async Task Preview_SortsEveryRowIntoItsCategoryWithLineAndReason_AndWritesNothing()
    {
        var (database, state, tas, service) = await ArrangeAsync();
        await using var _ = database;
        await LegacyAccessState.AddAsync(database, state.UserA3, state.LeaA, state.A3, tas.DataEntry);
        await LegacyAccessState.AddAsync(database, state.DistrictA, state.LeaA, null, tas.Reports, status: "Inactive");
        var csv = new TasReportCsv()
            .Row(state.UserA1, "101", "101001", LegacyAccessState.TasDataEntry)                    // 2 to add
            .Row(state.UserA3, "101", "101003", LegacyAccessState.TasDataEntry)                    // 3 unchanged
            .Row(state.DistrictA, "101", "", LegacyAccessState.TasReports, status: "ACTIVE")       // 4 to update
            .Line("12AB,Doe,Jane,,101,101001,SER,SER Data Entry,Active")                          // 5 invalid Staff ID
            .Line($"{state.LocalA.StaffId},{state.LocalA.LastName},x,,101,101001,SER,,")          // 6 invalid: missing role and status
            .Row(state.UserA1, "999", "999001", LegacyAccessState.TasDataEntry)                    // 7 unknown school system
            .Row(state.UserA1, "101", "101999", LegacyAccessState.TasDataEntry)                    // 8 unknown school
            .Line("1234567890,Nobody,Known,,101,101001,SER,SER Data Entry,Active")                // 9 unknown staff
            .Row(state.UserA1, "101", "101001", LegacyAccessState.TasDataEntry)                    // 10 duplicate of 2
            .Row(state.UserB1, "202", "202001", LegacyAccessState.TasDataEntry)                    // 11 out of scope for district.alpha
            .Row(state.UserA1, "101", "101001", "EL Admin", application: "EdLink 360")            // 12 other application
            .Row(state.LocalA, "101", "101001", LegacyAccessState.TasGifted)                       // 13 to add, unmapped TAS role
            .Row(state.SupervisorA, "101", "", "SER Transition Planning")                          // 14 TAS role not in the catalog: a coordinator's is reported
            .Line($"{state.UserA3.StaffId},Someone,Else,,101,101003,SER,SER Data Entry,Active");  // 15 invalid: Staff ID of another person

        var preview = await service.PreviewAsync(As(state.DistrictA), csv.ToStream());

        int[] Lines(TasImportCategory category) => preview.In(category).Select(f => f.Line.LineNumber).ToArray();
        Assert.Equal(14, preview.RowsRead);
        Assert.Equal([2, 13], Lines(TasImportCategory.ToAdd));
        Assert.Equal([3], Lines(TasImportCategory.Unchanged));
        Assert.Equal([4], Lines(TasImportCategory.ToUpdate));
        Assert.Equal([5, 6, 15], Lines(TasImportCategory.Invalid));
        Assert.Equal([7], Lines(TasImportCategory.UnknownSchoolSystem));
        Assert.Equal([8], Lines(TasImportCategory.UnknownSchool));
        Assert.Equal([9], Lines(TasImportCategory.UnknownStaff));
        Assert.Equal([10], Lines(TasImportCategory.Duplicate));
        Assert.Equal([11], Lines(TasImportCategory.OutOfScope));
        Assert.Equal([12], Lines(TasImportCategory.OtherApplication));
        Assert.Equal([14], Lines(TasImportCategory.UnknownTasRole));

        string Reason(int line) => preview.Findings.Single(f => f.Line.LineNumber == line).Reason;
        Assert.Contains("'Inactive'; becomes 'Active'", Reason(4));
        Assert.Contains("Staff ID '12AB' is not a Staff ID", Reason(5));
        Assert.Contains("TAS Role, Status are missing", Reason(6));
        Assert.Contains("LEA code 999", Reason(7));
        Assert.Contains("site code 101999", Reason(8));
        Assert.Contains("not in the staff directory", Reason(9));
        Assert.Contains("Repeats line 2", Reason(10));
        Assert.Contains("Bravo City Schools (202)", Reason(11));
        Assert.Contains("'EdLink 360' is not SER", Reason(12));
        Assert.Contains("belongs to user alpha3", Reason(15));

        var known = Assert.Single(preview.UnmappedTasRoles);
        Assert.Equal(LegacyAccessState.TasGifted, known.Name);
        Assert.False(known.IsNew);
        Assert.Equal([13], known.LineNumbers);
        Assert.False(preview.CanCommit);
        Assert.Equal(2, await CountAsync<LegacySerAccess>(database));
        Assert.Equal(4, await CountAsync<TasRole>(database));
    }

    [Fact]
    public async Task Commit_WithInvalidRows_IsRefusedListingThemAndWritesNothing()
    {
        var (database, state, _, service) = await ArrangeAsync();
        await using var __ = database;
        var csv = CleanFile(state).Line("ABC,Doe,Jane,,101,101001,SER,SER Data Entry,Active");

        var error = await Assert.ThrowsAsync<TasImportRefusedException>(() => service.CommitAsync(As(state.StateAdmin), csv.ToStream()));

        Assert.Contains("1 invalid row", error.Message);
        Assert.Equal(5, Assert.Single(error.Preview.In(TasImportCategory.Invalid)).Line.LineNumber);
        Assert.Equal(0, await CountAsync<LegacySerAccess>(database));
        Assert.Equal(4, await CountAsync<TasRole>(database));
        Assert.Equal(0, await CountAsync<AuditEvent>(database));
    }

    [Fact]
    public async Task Commit_CleanFile_RecordsAccessAddsUnknownTasRoleUnmappedAuditsOnceAndPublishes()
    {
        var (database, state, tas, service) = await ArrangeAsync();
        await using var _ = database;
        await LegacyAccessState.AddAsync(database, state.DistrictA, state.LeaA, null, tas.Reports, status: "Inactive");
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        var result = await service.CommitAsync(As(state.StateAdmin), CleanFile(state).ToStream());

        Assert.Equal((2, 1, 1), (result.Added, result.Updated, result.TasRolesAdded));
        await using var db = await database.OpenAsync();
        var rows = await db.LegacySerAccess.Include(l => l.TasRole).OrderBy(l => l.Id).ToListAsync();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal(LegacySerAccess.ActiveStatus, r.TasStatus));
        Assert.Equal(state.A1.Id, rows[1].SchoolId);
        Assert.Equal(state.A3.Id, rows[2].SchoolId);
        var added = rows[2].TasRole!;
        Assert.Equal("SER Behaviour Plans", added.Name);
        Assert.Null(added.EserRoleId);
        var audit = Assert.Single(await db.AuditEvents.ToListAsync());
        Assert.Equal("TasReport.Imported", audit.Action);
        Assert.Equal(result.Preview.FileSha256, audit.EntityId);
        Assert.Equal(state.LeaA.Id, audit.SchoolSystemId);
        Assert.Contains("\"added\":2", audit.After);
        await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.LegacyAccessImported && c.SchoolSystemId == state.LeaA.Id);
    }

    [Fact]
    public async Task Commit_SameFileAgain_ChangesNothingAndWritesNothing()
    {
        var (database, state, _, service) = await ArrangeAsync();
        await using var __ = database;
        var file = CleanFile(state).ToBytes();
        await service.CommitAsync(As(state.StateAdmin), new MemoryStream(file));

        var again = await service.CommitAsync(As(state.StateAdmin), new MemoryStream(file));

        Assert.False(again.Changed);
        Assert.Equal(3, again.Preview.Count(TasImportCategory.Unchanged));
        Assert.DoesNotContain(again.Preview.UnmappedTasRoles, u => u.IsNew);
        Assert.Equal(3, await CountAsync<LegacySerAccess>(database));
        Assert.Equal(5, await CountAsync<TasRole>(database));
        Assert.Equal(1, await CountAsync<AuditEvent>(database));
    }

    [Theory]
    [InlineData("LegacySerAccess", 2)]
    [InlineData("AuditEvents", 1)]
    public async Task Commit_FailureMidCommit_LeavesNoRowBehind(string failingTable, int failOnInsert)
    {
        var (database, state, _, service) = await ArrangeAsync();
        await using var _ = database;
        // A fault injected from outside: the database itself refuses the n-th insert into the table.
        await InjectedFailure.OnInsertAsync(database, failingTable, failOnInsert);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => service.CommitAsync(As(state.StateAdmin), CleanFile(state).ToStream()));

        Assert.Contains("injected failure", error.ToString());
        Assert.Equal(0, await CountAsync<LegacySerAccess>(database));
        Assert.Equal(4, await CountAsync<TasRole>(database));
        Assert.Equal(0, await CountAsync<AuditEvent>(database));
        Assert.True((await database.Get<AuditLog>().VerifyChainAsync()).IsIntact);
        await InjectedFailure.RemoveAsync(database, failingTable);
        var retried = await service.CommitAsync(As(state.StateAdmin), CleanFile(state).ToStream());
        Assert.Equal(3, retried.Added);
    }

    [Fact]
    public async Task Commit_CancelledAfterRowsWereWritten_LeavesNoRowBehind()
    {
        var (database, state, _, service) = await ArrangeAsync();
        await using var _ = database;
        using var abandon = new CancellationTokenSource();
        var written = 0;
        var progress = new SynchronousProgress(p =>
        {
            if (p.Stage == TasImportStage.Writing)
            {
                written = p.Done;
                abandon.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => service.CommitAsync(As(state.StateAdmin), CleanFile(state).ToStream(), progress, abandon.Token));

        Assert.Equal(3, written);
        Assert.Equal(0, await CountAsync<LegacySerAccess>(database));
        Assert.Equal(4, await CountAsync<TasRole>(database));
        Assert.Equal(0, await CountAsync<AuditEvent>(database));
    }

    [Fact]
    public async Task Commit_AsDistrictCoordinator_ImportsOwnSchoolSystemOnlyAndReportsTheRest()
    {
        var (database, state, _, service) = await ArrangeAsync();
        await using var _ = database;
        var csv = new TasReportCsv()
            .Row(state.UserA1, "101", "101001", LegacyAccessState.TasDataEntry)
            .Row(state.UserB1, "202", "202001", LegacyAccessState.TasDataEntry);

        var result = await service.CommitAsync(As(state.DistrictA), csv.ToStream());

        Assert.Equal(1, result.Added);
        Assert.Equal(3, Assert.Single(result.Preview.In(TasImportCategory.OutOfScope)).Line.LineNumber);
        Assert.Equal(["101"], result.Preview.SchoolSystemCodes);
        await using var db = await database.OpenAsync();
        Assert.Equal(state.LeaA.Id, (await db.LegacySerAccess.SingleAsync()).SchoolSystemId);
    }

    [Fact]
    public async Task Preview_ByDistrictCoordinator_StaffIdOfAnotherSchoolSystem_IsOutOfScopeWithoutTheirName()
    {
        var (database, state, _, service) = await ArrangeAsync();
        await using var _ = database;
        // Bravo's teacher, listed under Alpha's LEA code: once with the directory's name, once with another name.
        var csv = new TasReportCsv()
            .Row(state.UserB1, "101", "101001", LegacyAccessState.TasDataEntry)
            .Line($"{state.UserB1.StaffId},Someone,Else,,101,101001,SER,SER Data Entry,Active");

        var preview = await service.PreviewAsync(As(state.DistrictA), csv.ToStream());

        Assert.Equal([2, 3], preview.In(TasImportCategory.OutOfScope).Select(f => f.Line.LineNumber));
        Assert.All(preview.Findings, f =>
        {
            Assert.Contains($"Staff ID {state.UserB1.StaffId} belongs to a record outside the school systems you coordinate", f.Reason);
            Assert.DoesNotContain(state.UserB1.LastName, f.Reason, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(state.UserB1.FirstName, f.Reason, StringComparison.OrdinalIgnoreCase);
        });
        Assert.True(preview.CanCommit);
        Assert.False(preview.HasChanges);
    }

    [Fact]
    public async Task Commit_ByDistrictCoordinator_NeverAttachesAPersonOfAnotherSchoolSystem()
    {
        var (database, state, _, service) = await ArrangeAsync();
        await using var _ = database;
        var csv = new TasReportCsv()
            .Row(state.UserA1, "101", "101001", LegacyAccessState.TasDataEntry)
            .Row(state.UserB1, "101", "101001", LegacyAccessState.TasDataEntry);

        var result = await service.CommitAsync(As(state.DistrictA), csv.ToStream());

        Assert.Equal(1, result.Added);
        Assert.Equal(3, Assert.Single(result.Preview.In(TasImportCategory.OutOfScope)).Line.LineNumber);
        await using var db = await database.OpenAsync();
        Assert.Equal(state.UserA1.Id, (await db.LegacySerAccess.SingleAsync()).StaffMemberId);
    }

    [Fact]
    public async Task Commit_ByStateAdministrator_StillAttachesAPersonListedUnderAnotherSchoolSystem()
    {
        var (database, state, _, service) = await ArrangeAsync();
        await using var _ = database;
        var csv = new TasReportCsv().Row(state.UserB1, "101", "101001", LegacyAccessState.TasDataEntry);

        var result = await service.CommitAsync(As(state.StateAdmin), csv.ToStream());

        Assert.Equal(1, result.Added);
    }

    [Fact]
    public async Task Commit_ByDistrictCoordinator_ReportsAnUnknownTasRoleAndCreatesNone()
    {
        var (database, state, _, service) = await ArrangeAsync();
        await using var _ = database;
        var csv = new TasReportCsv()
            .Row(state.UserA1, "101", "101001", LegacyAccessState.TasDataEntry)
            .Row(state.UserA3, "101", "101003", "SER Behaviour Plans")
            .Row(state.DistrictA, "101", "", "ser  behaviour plans");

        var result = await service.CommitAsync(As(state.DistrictA), csv.ToStream());

        Assert.Equal((1, 0), (result.Added, result.TasRolesAdded));
        Assert.Equal([3, 4], result.Preview.In(TasImportCategory.UnknownTasRole).Select(f => f.Line.LineNumber));
        Assert.Contains("TAS role 'SER Behaviour Plans' is not in the catalog", result.Preview.In(TasImportCategory.UnknownTasRole)[0].Reason);
        Assert.Contains("state administrator", result.Preview.In(TasImportCategory.UnknownTasRole)[0].Reason);
        Assert.Empty(result.Preview.UnmappedTasRoles);
        Assert.Equal(4, await CountAsync<TasRole>(database));
        Assert.Equal(1, await CountAsync<LegacySerAccess>(database));
        await using var db = await database.OpenAsync();
        Assert.DoesNotContain("tasRolesAdded\":[\"", (await db.AuditEvents.SingleAsync()).After);
    }

    [Fact]
    public async Task Commit_AsStateAdministrator_ImportsEverySchoolSystem()
    {
        var (database, state, _, service) = await ArrangeAsync();
        await using var _ = database;
        var csv = new TasReportCsv()
            .Row(state.UserA1, "101", "101001", LegacyAccessState.TasDataEntry)
            .Row(state.UserB1, "202", "202001", LegacyAccessState.TasDataEntry);

        var result = await service.CommitAsync(As(state.StateAdmin), csv.ToStream());

        Assert.Equal(2, result.Added);
        Assert.Equal(["101", "202"], result.Preview.SchoolSystemCodes);
        await using var db = await database.OpenAsync();
        Assert.Null((await db.AuditEvents.SingleAsync()).SchoolSystemId);
    }

    [Theory]
    [InlineData("local")]
    [InlineData("supervisor")]
    [InlineData("staff")]
    public async Task PreviewAndCommit_ByAnyoneButStateAdministratorsAndDistrictCoordinators_AreRefused(string who)
    {
        var (database, state, _, service) = await ArrangeAsync();
        await using var _ = database;
        var caller = As(who switch { "local" => state.LocalA, "supervisor" => state.SupervisorA, _ => state.UserA1 });

        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.PreviewAsync(caller, CleanFile(state).ToStream()));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.CommitAsync(caller, CleanFile(state).ToStream()));

        Assert.Equal(0, await CountAsync<LegacySerAccess>(database));
    }

    [Fact]
    public async Task Preview_ReportsProgressThroughReadingAndChecking()
    {
        var (database, state, _, service) = await ArrangeAsync();
        await using var _ = database;
        var reports = new List<TasImportProgress>();

        await service.PreviewAsync(As(state.StateAdmin), CleanFile(state).ToStream(), new SynchronousProgress(reports.Add));

        Assert.Contains(new TasImportProgress(TasImportStage.Reading, 3, 3), reports);
        Assert.Equal(new TasImportProgress(TasImportStage.Checking, 3, 3), reports[^1]);
    }

    private sealed class SynchronousProgress(Action<TasImportProgress> report) : IProgress<TasImportProgress>
    {
        public void Report(TasImportProgress value) => report(value);
    }
}
