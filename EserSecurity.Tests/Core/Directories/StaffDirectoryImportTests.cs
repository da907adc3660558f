using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Directories;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Directories;

/// <summary>The staff preview's categories, the all-or-nothing commit, re-import, people not in the file, and scope.</summary>
public sealed class StaffDirectoryImportTests
{
    private static async Task<(TestDatabase Db, TestState State, StaffDirectoryImportService Service)> ArrangeAsync()
    {
        var db = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(db);
        return (db, state, db.Get<StaffDirectoryImportService>());
    }

    private static Caller As(StaffMember person) => TestState.CallerFor(person);

    /// <summary>Every person of school system A as recorded, so nothing is missing from the file.</summary>
    private static DirectoryCsv AllOfA(TestState s, Func<StaffMember, bool>? except = null)
    {
        var csv = DirectoryCsv.Staff();
        foreach (var (person, sites) in new[] { (s.DistrictA, ""), (s.LocalA, "101001"), (s.SupervisorA, ""), (s.UserA1, "101001"), (s.UserA3, "101003") })
        {
            if (except?.Invoke(person) != true)
            {
                csv.Person(person, "101", sites);
            }
        }
        return csv;
    }

    private static async Task<int> CountAsync<T>(TestDatabase database) where T : class
    {
        await using var db = await database.OpenAsync();
        return await db.Set<T>().CountAsync();
    }

    [Fact]
    public async Task Preview_SortsEveryRowIntoItsCategory_WithLineReasonAndChangingFields_AndWritesNothing()
    {
        var (database, s, service) = await ArrangeAsync();
        await using var _ = database;
        var csv = DirectoryCsv.Staff()
            .Row("5550001", "Newman", "Nora", "nora@example.org", "101", "101002", "Teacher", "Active", "2026-08-01", "nora.newman") // 2 new
            .Person(s.UserA1, "101", "101001", lastName: "Married-Name", position: "Lead teacher")                                   // 3 updated
            .Person(s.LocalA, "101", "101001")                                                                                      // 4 unchanged
            .Row("12AB", "Doe", "Jane", "j@example.org", "101", "101001", "Teacher", "Active", "", "")                              // 5 invalid Staff ID
            .Row("5550002", "", "Jane", "j@example.org", "101", "101001", "Teacher", "Active", "", "")                              // 6 invalid: no last name
            .Row("5550003", "Doe", "Jane", "j@example.org", "101", "101001", "Teacher", "Retired", "", "")                          // 7 invalid status
            .Row("5550004", "Doe", "Jane", "j@example.org", "101", "101001", "Teacher", "Ended", "31/31/2026", "")                  // 8 invalid date
            .Row("5550005", "Doe", "Jane", "j@example.org", "999", "", "Teacher", "Active", "", "")                                 // 9 unknown school system
            .Row("5550006", "Doe", "Jane", "j@example.org", "101", "101999", "Teacher", "Active", "", "")                           // 10 unknown school
            .Person(s.UserA1, "101", "101001")                                                                                      // 11 duplicate of 3
            .Person(s.DistrictA, "101", "", status: "Ended", statusDate: "2026-11-20")                                              // 12 ended
            .Person(s.UserB1, "101", "101002")                                                                                      // 13 moved school system
            .Person(s.UserA3, "101", "101001;101002");                                                                              // 14 moved schools

        var preview = await service.PreviewAsync(As(s.StateAdmin), csv.ToStream());

        int[] Lines(DirectoryRowCategory category) => preview.In(category).Select(r => r.LineNumber).ToArray();
        Assert.Equal(13, preview.RowsRead);
        Assert.Equal([2], Lines(DirectoryRowCategory.New));
        Assert.Equal([3], Lines(DirectoryRowCategory.Updated));
        Assert.Equal([4], Lines(DirectoryRowCategory.Unchanged));
        Assert.Equal([5, 6, 7, 8], Lines(DirectoryRowCategory.Invalid));
        Assert.Equal([9], Lines(DirectoryRowCategory.UnknownSchoolSystem));
        Assert.Equal([10], Lines(DirectoryRowCategory.UnknownSchool));
        Assert.Equal([11], Lines(DirectoryRowCategory.DuplicateInFile));
        Assert.Equal([12], Lines(DirectoryRowCategory.Ended));
        Assert.Equal([13], Lines(DirectoryRowCategory.MovedSchoolSystem));
        Assert.Equal([14], Lines(DirectoryRowCategory.MovedSchools));

        DirectoryPreviewRow Row(int line) => preview.Rows.Single(r => r.LineNumber == line);
        Assert.Equal(
            [new DirectoryFieldChange("Last Name", s.UserA1.LastName, "Married-Name"), new DirectoryFieldChange("Position", "Teacher", "Lead teacher")],
            Row(3).Changes);
        Assert.Equal(s.UserA1.Id, Row(3).StaffMemberId);
        Assert.Null(Row(2).StaffMemberId);
        Assert.Contains("\"12AB\" is not an eScholar Staff ID", Row(5).Reason);
        Assert.Contains("last name is missing", Row(6).Reason);
        Assert.Contains("\"Retired\" is not Active, Leave or Ended", Row(7).Reason);
        Assert.Contains("\"31/31/2026\" is not a date", Row(8).Reason);
        Assert.Contains("LEA code 999", Row(9).Reason);
        Assert.Contains("Site code 101999", Row(10).Reason);
        Assert.Contains("also on line 3", Row(11).Reason);
        Assert.Contains("2026-11-20", Row(12).Reason);
        Assert.Contains(new DirectoryFieldChange("Employment Status", "Active", "Ended"), Row(12).Changes);
        Assert.Contains("from LEA 202 to LEA 101", Row(13).Reason);
        Assert.Contains(new DirectoryFieldChange("Site Codes", "101003", "101001; 101002"), Row(14).Changes);
        Assert.False(preview.CanCommit);
        Assert.Contains("4 invalid rows", preview.BlockingMessage);
        Assert.Equal(0, await CountAsync<DirectoryImport>(database));
        Assert.Equal(0, await CountAsync<AuditEvent>(database));
    }

    [Fact]
    public async Task Commit_WithBlockingRows_IsRefusedWithTheFirstProblem_AndWritesNothing()
    {
        var (database, s, service) = await ArrangeAsync();
        await using var _ = database;
        var csv = AllOfA(s).Row("5550001", "Newman", "Nora", "nora@example.org", "101", "101002", "Teacher", "Active", "", "")
            .Row("5550002", "Doe", "Jane", "j@example.org", "101", "101999", "Teacher", "Active", "", "");
        var staffBefore = await CountAsync<StaffMember>(database);

        var refused = await Assert.ThrowsAsync<DirectoryImportRefusedException>(() => service.CommitAsync(As(s.StateAdmin), csv.ToStream()));

        Assert.Contains("1 row with an unknown school", refused.Message);
        Assert.Contains("line 8", refused.Message);
        Assert.Contains("Nothing was imported", refused.Message);
        Assert.DoesNotContain(".)", refused.Message);
        Assert.Equal(staffBefore, await CountAsync<StaffMember>(database));
        Assert.Equal(0, await CountAsync<AuditEvent>(database));
    }

    [Fact]
    public async Task Commit_WritesEverything_RecordsDirectoryChanges_AuditsOnce_PublishesPerPerson_AndTheSameFileAgainWritesNothing()
    {
        var (database, s, service) = await ArrangeAsync();
        await using var _ = database;
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());
        var csv = AllOfA(s, p => p == s.UserA3 || p == s.DistrictA)
            .Row("5550001", "Thibodeaux, Renée", "Nora", "nora@example.org", "101", "101002;101003", "Teacher", "Active", "2026-08-01", "Nora.T")
            .Person(s.UserA3, "101", "101001;101002", status: "Leave", statusDate: "2026-11-15")
            .Person(s.DistrictA, "101", "", status: "Ended", statusDate: "2026-11-20")
            .Person(s.UserB1, "101", "101002");
        var progress = new List<DirectoryImportProgress>();

        var result = await service.CommitAsync(As(s.StateAdmin), csv.ToStream(), progress: new SyncProgress(progress));

        Assert.True(result.Changed);
        Assert.Equal((1, 3, 1), (result.Created, result.Updated, result.Ended));
        Assert.Contains(progress, p => p.Stage == DirectoryImportStage.Writing && p.Done == p.Total && p.Total == 4);
        await using (var db = await database.OpenAsync())
        {
            var nora = await db.StaffMembers.Include(p => p.Schools).SingleAsync(p => p.StaffId == "5550001");
            Assert.Equal(("Thibodeaux, Renée", "nora.t", s.LeaA.Id), (nora.LastName, nora.Username, nora.SchoolSystemId));
            Assert.Equal([s.A2.Id, s.A3.Id], nora.Schools.Select(x => x.SchoolId).Order());
            var userA3 = await db.StaffMembers.Include(p => p.Schools).SingleAsync(p => p.Id == s.UserA3.Id);
            Assert.Equal(EmploymentStatus.Leave, userA3.EmploymentStatus);
            Assert.Equal([s.A1.Id, s.A2.Id], userA3.Schools.Select(x => x.SchoolId).Order());
            var district = await db.StaffMembers.SingleAsync(p => p.Id == s.DistrictA.Id);
            Assert.Equal((EmploymentStatus.Ended, new DateOnly(2026, 11, 20)), (district.EmploymentStatus, district.EmploymentEndedOn));
            var moved = await db.StaffMembers.Include(p => p.Schools).SingleAsync(p => p.Id == s.UserB1.Id);
            Assert.Equal(s.LeaA.Id, moved.SchoolSystemId);
            Assert.Equal([s.A2.Id], moved.Schools.Select(x => x.SchoolId));

            var changes = await db.StaffDirectoryChanges.AsNoTracking().OrderBy(c => c.Id).ToListAsync();
            Assert.DoesNotContain(changes, c => c.StaffMemberId == nora.Id);
            Assert.Equal(
                [
                    (s.UserA3.Id, StaffDirectoryChangeKind.EmploymentStatusChanged, "Active", "Leave"),
                    (s.UserA3.Id, StaffDirectoryChangeKind.SchoolsChanged, "101003", "101001; 101002"),
                    (s.DistrictA.Id, StaffDirectoryChangeKind.EmploymentStatusChanged, "Active", "Ended"),
                    (s.UserB1.Id, StaffDirectoryChangeKind.SchoolSystemChanged, "202", "101"),
                    (s.UserB1.Id, StaffDirectoryChangeKind.SchoolsChanged, "202001", "101002"),
                ],
                changes.Select(c => (c.StaffMemberId, c.Kind, c.OldValue!, c.NewValue!)));
            Assert.All(changes, c => Assert.Equal(result.DirectoryImportId, c.DirectoryImportId));
            Assert.Equal(new DateOnly(2026, 11, 20), changes[2].EffectiveOn);

            // One event for the import; the leaver rules add theirs (district.alpha left: their assignment ends, A is flagged).
            var events = await db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
            var audit = Assert.Single(events, e => e.Action == "StaffDirectory.Imported");
            Assert.Equal(s.StateAdmin.Id, audit.ActorId);
            Assert.Contains("\"created\":1", audit.After);
            Assert.Equal(["StaffDirectory.Imported", "Coordinator.Ended", "SchoolSystem.DistrictCoordinatorGap"], events.Select(e => e.Action));
        }
        int noraId;
        await using (var db = await database.OpenAsync())
        {
            noraId = await db.StaffMembers.Where(p => p.StaffId == "5550001").Select(p => p.Id).SingleAsync();
        }
        var published = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.StaffDirectoryChanged, 4);
        Assert.Equal(new int?[] { s.DistrictA.Id, s.UserA3.Id, s.UserB1.Id, noraId }.Order(), published.Select(c => c.SubjectStaffMemberId).Order());
        Assert.All(published, c => Assert.Equal(s.LeaA.Id, c.SchoolSystemId));

        var again = await service.CommitAsync(As(s.StateAdmin), csv.ToStream());

        Assert.False(again.Changed);
        Assert.Equal(again.Preview.RowsRead, again.Preview.Count(DirectoryRowCategory.Unchanged));
        Assert.Equal(3, await CountAsync<AuditEvent>(database));
        Assert.Equal(1, await CountAsync<DirectoryImport>(database));
    }

    [Fact]
    public async Task Commit_WithAFailureInjectedMidway_WritesNothingAtAll()
    {
        var (database, s, service) = await ArrangeAsync();
        await using var _ = database;
        var csv = AllOfA(s, p => p == s.UserA3)
            .Row("5550001", "Newman", "Nora", "nora@example.org", "101", "101002", "Teacher", "Active", "", "")
            .Row("5550002", "Newman", "Ned", "ned@example.org", "101", "101002", "Teacher", "Active", "", "")
            .Person(s.UserA3, "101", "101002", status: "Ended", statusDate: "2026-11-20");
        // The failure strikes after the new people and the changed record are written, at the first directory change.
        await InjectedFailure.OnInsertAsync(database, "StaffDirectoryChanges");
        var staffBefore = await CountAsync<StaffMember>(database);

        await Assert.ThrowsAnyAsync<Exception>(() => service.CommitAsync(As(s.StateAdmin), csv.ToStream(), new StaffImportOptions(MissingPeopleAction.MarkEnded)));

        await using (var db = await database.OpenAsync())
        {
            Assert.Equal(staffBefore, await db.StaffMembers.CountAsync());
            var userA3 = await db.StaffMembers.Include(p => p.Schools).AsNoTracking().SingleAsync(p => p.Id == s.UserA3.Id);
            Assert.Equal(EmploymentStatus.Active, userA3.EmploymentStatus);
            Assert.Equal([s.A3.Id], userA3.Schools.Select(x => x.SchoolId));
            Assert.Equal(0, await db.DirectoryImports.CountAsync());
            Assert.Equal(0, await db.AuditEvents.CountAsync());
        }
        await InjectedFailure.RemoveAsync(database, "StaffDirectoryChanges");

        var result = await service.CommitAsync(As(s.StateAdmin), csv.ToStream());
        Assert.Equal((2, 1), (result.Created, result.Ended));
    }

    [Fact]
    public async Task NotInThisFile_IsListed_KeptByDefault_AndEndedWhenAsked()
    {
        var (database, s, service) = await ArrangeAsync();
        await using var _ = database;
        var csv = AllOfA(s, p => p == s.UserA3 || p == s.SupervisorA || p == s.UserA1).Person(s.UserA1, "101", "101001", status: "Leave", statusDate: "2026-11-10");

        var preview = await service.PreviewAsync(As(s.DistrictA), csv.ToStream());

        Assert.Equal([s.SupervisorA.Id, s.UserA3.Id], preview.NotInFile.Select(m => m.StaffMemberId).Order());
        Assert.DoesNotContain(preview.NotInFile, m => m.SchoolSystemCode == "202");
        Assert.Equal(new DateOnly(2026, 11, 10), preview.LatestStatusDate);

        await service.CommitAsync(As(s.DistrictA), csv.ToStream());
        await using (var db = await database.OpenAsync())
        {
            Assert.Equal(EmploymentStatus.Active, (await db.StaffMembers.SingleAsync(p => p.Id == s.UserA3.Id)).EmploymentStatus);
        }

        var ended = await service.CommitAsync(As(s.DistrictA), csv.ToStream(), new StaffImportOptions(MissingPeopleAction.MarkEnded));

        Assert.Equal(2, ended.MissingEnded);
        await using (var db = await database.OpenAsync())
        {
            var userA3 = await db.StaffMembers.SingleAsync(p => p.Id == s.UserA3.Id);
            Assert.Equal((EmploymentStatus.Ended, new DateOnly(2026, 11, 10)), (userA3.EmploymentStatus, userA3.EmploymentEndedOn));
            Assert.Equal(2, await db.StaffDirectoryChanges.CountAsync(c => c.Kind == StaffDirectoryChangeKind.EmploymentStatusChanged && c.NewValue == "Ended"));
            Assert.Equal(EmploymentStatus.Active, (await db.StaffMembers.SingleAsync(p => p.Id == s.UserB1.Id)).EmploymentStatus);
        }
        var afterwards = await service.PreviewAsync(As(s.DistrictA), csv.ToStream());
        Assert.Empty(afterwards.NotInFile);
    }

    [Fact]
    public async Task DistrictCoordinatorsFile_TouchingAnotherSchoolSystem_ReportsThoseRowsOutOfScope_WithoutTheirNames_AndImportsOnlyItsOwn()
    {
        var (database, s, service) = await ArrangeAsync();
        await using var _ = database;
        var csv = AllOfA(s)
            .Row(s.UserB1.StaffId, "Whatever", "Name", "x@example.org", "202", "202001", "Teacher", "Ended", "2026-11-01", "")  // another school system
            .Row(s.DistrictB.StaffId, "Claimed", "Person", "y@example.org", "101", "101001", "Teacher", "Active", "", "")       // B's person moved into A
            .Row("5550001", "Newman", "Nora", "nora@example.org", "101", "101002", "Teacher", "Active", "", "");

        var preview = await service.PreviewAsync(As(s.DistrictA), csv.ToStream());

        var outside = preview.In(DirectoryRowCategory.OutOfScope).ToList();
        Assert.Equal([7, 8], outside.Select(r => r.LineNumber));
        Assert.All(outside, r => Assert.Null(r.Name));
        Assert.All(outside, r => Assert.Null(r.StaffMemberId));
        Assert.All(outside, r => Assert.DoesNotContain(s.UserB1.LastName, r.Reason));
        Assert.All(outside, r => Assert.DoesNotContain(s.DistrictB.LastName, r.Reason));
        Assert.Equal(["101"], preview.SchoolSystemCodes);
        Assert.True(preview.CanCommit);

        var result = await service.CommitAsync(As(s.DistrictA), csv.ToStream());

        Assert.Equal(1, result.Created);
        await using var db = await database.OpenAsync();
        Assert.Equal(EmploymentStatus.Active, (await db.StaffMembers.SingleAsync(p => p.Id == s.UserB1.Id)).EmploymentStatus);
        Assert.Equal(s.LeaB.Id, (await db.StaffMembers.SingleAsync(p => p.Id == s.DistrictB.Id)).SchoolSystemId);
    }

    [Fact]
    public async Task OnlyStateAdministratorsAndDistrictCoordinators_MayImport()
    {
        var (database, s, service) = await ArrangeAsync();
        await using var _ = database;

        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.PreviewAsync(As(s.LocalA), AllOfA(s).ToStream()));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.CommitAsync(As(s.UserA1), AllOfA(s).ToStream()));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.PreviewAsync(As(s.SupervisorA), AllOfA(s).ToStream()));
    }

    [Fact]
    public async Task EndedOrOnLeave_ByTheImport_LeavesThePersonNoConsoleScope()
    {
        var (database, s, service) = await ArrangeAsync();
        await using var _ = database;
        var scopes = database.Get<ScopeService>();
        Assert.True((await scopes.GetReadScopeAsync(As(s.DistrictA), default)).IsDistrictCoordinator);
        var csv = AllOfA(s, p => p == s.DistrictA || p == s.LocalA)
            .Person(s.DistrictA, "101", "", status: "Ended", statusDate: "2026-11-20")
            .Person(s.LocalA, "101", "101001", status: "Leave", statusDate: "2026-11-20");

        await service.CommitAsync(As(s.StateAdmin), csv.ToStream());

        var district = await scopes.GetReadScopeAsync(As(s.DistrictA), default);
        var local = await scopes.GetReadScopeAsync(As(s.LocalA), default);
        Assert.False(district.IsCoordinator || district.IsStateAdministrator || district.IsSupervisor);
        Assert.False(local.IsCoordinator);
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.PreviewAsync(As(s.DistrictA), AllOfA(s).ToStream()));
    }

    [Fact]
    public async Task UsernameOfAnotherPerson_OrTwiceInTheFile_IsInvalid()
    {
        var (database, s, service) = await ArrangeAsync();
        await using var _ = database;
        var csv = DirectoryCsv.Staff()
            .Row("5550001", "Newman", "Nora", "nora@example.org", "101", "101002", "Teacher", "Active", "", s.UserA1.Username!)
            .Row("5550002", "Newman", "Ned", "ned@example.org", "101", "101002", "Teacher", "Active", "", "ned.n")
            .Row("5550003", "Newman", "Nat", "nat@example.org", "101", "101002", "Teacher", "Active", "", "NED.N");

        var preview = await service.PreviewAsync(As(s.StateAdmin), csv.ToStream());

        Assert.Equal([2, 4], preview.In(DirectoryRowCategory.Invalid).Select(r => r.LineNumber));
        Assert.Contains("already belongs to another staff record", preview.Rows[0].Reason);
        Assert.Contains("also on line 3", preview.Rows[2].Reason);
    }

    /// <summary>Collects progress on the reporting thread, in order.</summary>
    private sealed class SyncProgress(List<DirectoryImportProgress> into) : IProgress<DirectoryImportProgress>
    {
        public void Report(DirectoryImportProgress value) => into.Add(value);
    }
}
