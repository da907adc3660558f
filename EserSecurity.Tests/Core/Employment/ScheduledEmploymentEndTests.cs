using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Directories;
using EserSecurity.Core.Employment;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EserSecurity.Tests.Core.Employment;

/// <summary>
/// An end of employment on a day still to come, from a staff directory row with a later Status Date or a coordinator's
/// end on a later day: the person keeps their status and access until that day, the end can be moved or called off,
/// and on the day the console applies the leaver rules by itself. Today in <see cref="TestDatabase"/> is November 28, 2026.
/// </summary>
public sealed class ScheduledEmploymentEndTests
{
    private static readonly DateOnly December5 = new(2026, 12, 5);

    private static Caller As(StaffMember person) => TestState.CallerFor(person);

    private static Task<DirectoryImportResult> ImportAsync(TestDatabase database, TestState s, DirectoryCsv csv) =>
        database.Get<StaffDirectoryImportService>().CommitAsync(As(s.StateAdmin), csv.ToStream());

    private static async Task<StaffMember> PersonAsync(TestDatabase database, int id)
    {
        await using var db = await database.OpenAsync();
        return await db.StaffMembers.AsNoTracking().SingleAsync(p => p.Id == id);
    }

    private static async Task<List<StaffDirectoryChange>> HistoryAsync(TestDatabase database, int id)
    {
        await using var db = await database.OpenAsync();
        return await db.StaffDirectoryChanges.AsNoTracking().Where(c => c.StaffMemberId == id).OrderBy(c => c.Id).ToListAsync();
    }

    private static async Task<AccessRequestStatus> RequestStatusAsync(TestDatabase database, int id)
    {
        await using var db = await database.OpenAsync();
        return (await db.AccessRequests.SingleAsync(r => r.Id == id)).Status;
    }

    [Fact]
    public async Task ImportedEndOnALaterDay_KeepsStatusAndAccessUntilThatDay_ThenTheConsoleAppliesTheLeaverRules()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var grant = await GrantSetup.AddAsync(database, s.UserA1, s.SchoolRole, s.LeaA, s.A1);
        var pending = await TestState.AddPendingRequestAsync(database, s.UserA1, s.LeaRole, s.LeaA, null, database.Clock.GetUtcNow());
        var employment = database.Get<EmploymentService>();

        var result = await ImportAsync(database, s, DirectoryCsv.Staff().Person(s.UserA1, "101", "101001", status: "Ended", statusDate: "2026-12-05"));

        var row = Assert.Single(result.Preview.Rows);
        Assert.Equal(DirectoryRowCategory.Ended, row.Category);
        Assert.Equal("Employment ends on 2026-12-05; until that day the person keeps their status and access.", row.Reason);
        var person = await PersonAsync(database, s.UserA1.Id);
        Assert.Equal((EmploymentStatus.Active, (DateOnly?)December5), (person.EmploymentStatus, person.EmploymentEndedOn));
        Assert.True((await GrantSetup.FindAsync(database, grant.Id)).IsActive);
        Assert.Equal(AccessRequestStatus.PendingCoordinator, await RequestStatusAsync(database, pending.Id));
        var scheduled = Assert.Single(await HistoryAsync(database, s.UserA1.Id));
        Assert.Equal((StaffDirectoryChangeKind.EmploymentEndScheduled, null, "2026-12-05", December5),
            (scheduled.Kind, scheduled.OldValue, scheduled.NewValue, scheduled.EffectiveOn));

        database.Clock.Advance(TimeSpan.FromDays(6));
        Assert.Empty(await employment.ApplyDueEndsAsync());
        Assert.True((await GrantSetup.FindAsync(database, grant.Id)).IsActive);

        database.Clock.Advance(TimeSpan.FromDays(1));
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());
        var applied = Assert.Single(await employment.ApplyDueEndsAsync());

        Assert.Equal((s.UserA1.Id, December5, 1, 1), (applied.StaffMemberId, applied.EndedOn, applied.Outcome.GrantsEnded, applied.Outcome.RequestsCancelled));
        person = await PersonAsync(database, s.UserA1.Id);
        Assert.Equal((EmploymentStatus.Ended, (DateOnly?)December5), (person.EmploymentStatus, person.EmploymentEndedOn));
        var ended = await GrantSetup.FindAsync(database, grant.Id);
        Assert.Equal((GrantEndReason.EmploymentEnded, "Left: employment ended on December 5, 2026.", (int?)null),
            (ended.EndReason!.Value, ended.EndNote!, ended.EndedById));
        Assert.Equal(AccessRequestStatus.Cancelled, await RequestStatusAsync(database, pending.Id));
        var statusChange = (await HistoryAsync(database, s.UserA1.Id)).Last();
        Assert.Equal((StaffDirectoryChangeKind.EmploymentStatusChanged, "Active", "Ended", December5),
            (statusChange.Kind, statusChange.OldValue, statusChange.NewValue, statusChange.EffectiveOn));
        await using (var db = await database.OpenAsync())
        {
            var audit = await db.AuditEvents.SingleAsync(e => e.Action == "StaffMember.EmploymentEnded");
            Assert.Equal((AuditLog.ScheduledEmploymentEndActorName, (int?)null), (audit.ActorName, audit.ActorId));
            Assert.Equal(AuditLog.ScheduledEmploymentEndActorName, (await db.AuditEvents.SingleAsync(e => e.Action == "AccessGrant.Ended")).ActorName);
        }
        var change = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.EmploymentChanged && c.SubjectStaffMemberId == s.UserA1.Id);
        Assert.Null(change.ActorId);
        Assert.Empty(await employment.ApplyDueEndsAsync());
    }

    [Fact]
    public async Task ActiveRowAfterAScheduledEnd_CallsItOff_AndTheDayPassesWithoutEffect()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var grant = await GrantSetup.AddAsync(database, s.UserA1, s.SchoolRole, s.LeaA, s.A1);
        await ImportAsync(database, s, DirectoryCsv.Staff().Person(s.UserA1, "101", "101001", status: "Ended", statusDate: "2026-12-05"));

        var again = await ImportAsync(database, s, DirectoryCsv.Staff().Person(s.UserA1, "101", "101001", status: "Ended", statusDate: "2026-12-05"));
        Assert.Equal(DirectoryRowCategory.Unchanged, Assert.Single(again.Preview.Rows).Category);
        Assert.False(again.Changed);

        var calledOff = await ImportAsync(database, s, DirectoryCsv.Staff().Person(s.UserA1, "101", "101001", status: "Active"));

        var row = Assert.Single(calledOff.Preview.Rows);
        Assert.Equal((DirectoryRowCategory.Updated, "Calls off the end of employment scheduled for 2026-12-05."), (row.Category, row.Reason));
        Assert.Null((await PersonAsync(database, s.UserA1.Id)).EmploymentEndedOn);
        var history = await HistoryAsync(database, s.UserA1.Id);
        Assert.Equal([StaffDirectoryChangeKind.EmploymentEndScheduled, StaffDirectoryChangeKind.EmploymentEndCancelled], history.Select(c => c.Kind));
        Assert.Equal(("2026-12-05", (string?)null), (history[1].OldValue, history[1].NewValue));

        database.Clock.Advance(TimeSpan.FromDays(10));
        Assert.Empty(await database.Get<EmploymentService>().ApplyDueEndsAsync());
        Assert.True((await GrantSetup.FindAsync(database, grant.Id)).IsActive);
        Assert.Equal(EmploymentStatus.Active, (await PersonAsync(database, s.UserA1.Id)).EmploymentStatus);
    }

    [Fact]
    public async Task EndedRowOnAnEarlierDay_EndsAScheduledEmploymentAtOnce()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var grant = await GrantSetup.AddAsync(database, s.UserA1, s.SchoolRole, s.LeaA, s.A1);
        await ImportAsync(database, s, DirectoryCsv.Staff().Person(s.UserA1, "101", "101001", status: "Ended", statusDate: "2026-12-20"));

        var result = await ImportAsync(database, s, DirectoryCsv.Staff().Person(s.UserA1, "101", "101001", status: "Ended", statusDate: "2026-11-27"));

        Assert.Equal(DirectoryRowCategory.Ended, Assert.Single(result.Preview.Rows).Category);
        var person = await PersonAsync(database, s.UserA1.Id);
        Assert.Equal((EmploymentStatus.Ended, (DateOnly?)new DateOnly(2026, 11, 27)), (person.EmploymentStatus, person.EmploymentEndedOn));
        Assert.False((await GrantSetup.FindAsync(database, grant.Id)).IsActive);
    }

    [Fact]
    public async Task NewPersonWithALaterEnd_IsActiveUntilThen_WithTheScheduleInTheirHistory()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);

        var result = await ImportAsync(database, s, DirectoryCsv.Staff()
            .Row("900000123", "Arceneaux", "Odile", "odile.arceneaux@example.org", "101", "101001", "Teacher", "Ended", "12/05/2026", ""));

        Assert.Equal("A new person in the directory; employment ends on 2026-12-05.", Assert.Single(result.Preview.Rows).Reason);
        await using var db = await database.OpenAsync();
        var person = await db.StaffMembers.SingleAsync(p => p.StaffId == "900000123");
        Assert.Equal((EmploymentStatus.Active, (DateOnly?)December5), (person.EmploymentStatus, person.EmploymentEndedOn));
        var scheduled = await db.StaffDirectoryChanges.SingleAsync(c => c.StaffMemberId == person.Id);
        Assert.Equal((StaffDirectoryChangeKind.EmploymentEndScheduled, "2026-12-05", December5), (scheduled.Kind, scheduled.NewValue, scheduled.EffectiveOn));
    }

    [Fact]
    public async Task CoordinatorsEndOnALaterDay_IsScheduled_CanBeMoved_AndCalledOff()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var grant = await GrantSetup.AddAsync(database, s.UserA1, s.SchoolRole, s.LeaA, s.A1);
        var service = database.Get<EmploymentService>();
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        var outcome = await service.EndEmploymentAsync(As(s.LocalA), s.UserA1.Id, new DateOnly(2026, 12, 10), "Last day before the move.");

        Assert.Equal(new DateOnly(2026, 12, 10), outcome.ScheduledFor);
        Assert.StartsWith("Employment ends on December 10, 2026. Until then the person keeps their access", outcome.Message);
        Assert.True((await GrantSetup.FindAsync(database, grant.Id)).IsActive);
        var access = await database.Get<GrantService>().GetPersonAccessAsync(As(s.DistrictA), s.UserA1.Id);
        Assert.Equal((new DateOnly(2026, 12, 10), false, true), (access.EmploymentEndsOn!.Value, access.EmploymentEnded, access.CanEndEmployment));
        var change = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.EmploymentChanged && c.SubjectStaffMemberId == s.UserA1.Id);
        Assert.True(GrantService.ConcernsPersonAccess(change, s.UserA1.Id, s.DistrictA.Id));
        Assert.True(DirectoryRecords.ConcernsPerson(change, s.UserA1.Id));

        await service.EndEmploymentAsync(As(s.DistrictA), s.UserA1.Id, December5);
        var message = await service.CancelScheduledEndAsync(As(s.StateAdmin), s.UserA1.Id);

        Assert.Equal("The end of user alpha1's employment scheduled for December 5, 2026 is called off.", message);
        var history = await HistoryAsync(database, s.UserA1.Id);
        Assert.Equal(
            [(StaffDirectoryChangeKind.EmploymentEndScheduled, null, "2026-12-10"), (StaffDirectoryChangeKind.EmploymentEndScheduled, "2026-12-10", "2026-12-05"),
             (StaffDirectoryChangeKind.EmploymentEndCancelled, "2026-12-05", null)],
            history.Select(c => (c.Kind, c.OldValue, c.NewValue)));
        await using (var db = await database.OpenAsync())
        {
            Assert.Equal([s.LocalA.Id, s.DistrictA.Id], await db.AuditEvents.Where(e => e.Action == "StaffMember.EmploymentEndScheduled")
                .OrderBy(e => e.Sequence).Select(e => e.ActorId!.Value).ToListAsync());
            Assert.Equal(s.StateAdmin.Id, (await db.AuditEvents.SingleAsync(e => e.Action == "StaffMember.EmploymentEndCancelled")).ActorId);
        }
        var twice = await Assert.ThrowsAsync<EmploymentRefusedException>(() => service.CancelScheduledEndAsync(As(s.StateAdmin), s.UserA1.Id));
        Assert.Equal("No end of employment is scheduled for user alpha1.", twice.Message);

        database.Clock.Advance(TimeSpan.FromDays(20));
        Assert.Empty(await service.ApplyDueEndsAsync());
        Assert.True((await GrantSetup.FindAsync(database, grant.Id)).IsActive);
    }

    [Fact]
    public async Task CallingOffAScheduledEnd_IsRefusedOutsideScopeAndForOnesOwnRecord()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var service = database.Get<EmploymentService>();
        await service.EndEmploymentAsync(As(s.StateAdmin), s.UserA3.Id, December5);
        await service.EndEmploymentAsync(As(s.StateAdmin), s.DistrictA.Id, December5);

        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.CancelScheduledEndAsync(As(s.LocalA), s.UserA3.Id));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.CancelScheduledEndAsync(As(s.DistrictB), s.UserA3.Id));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.CancelScheduledEndAsync(As(s.UserA1), s.UserA3.Id));
        var own = await Assert.ThrowsAsync<EmploymentRefusedException>(() => service.CancelScheduledEndAsync(As(s.DistrictA), s.DistrictA.Id));

        Assert.Contains("your own employment", own.Message);
        Assert.Equal(December5, (await PersonAsync(database, s.UserA3.Id)).EmploymentEndedOn);
    }

    [Fact]
    public async Task EndMoreThanAYearAhead_IsRefused_WithTheLastDayAllowed()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);

        var refused = await Assert.ThrowsAsync<EmploymentRefusedException>(() =>
            database.Get<EmploymentService>().EndEmploymentAsync(As(s.DistrictA), s.UserA1.Id, new DateOnly(2027, 11, 30)));

        Assert.Equal("An end of employment can be scheduled at most a year ahead, up to November 29, 2027.", refused.Message);
        Assert.Null((await PersonAsync(database, s.UserA1.Id)).EmploymentEndedOn);
    }

    [Fact]
    public async Task ScheduledEndOfTheLastDistrictCoordinator_IsFlaggedOnItsDay()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var service = database.Get<EmploymentService>();
        await service.EndEmploymentAsync(As(s.StateAdmin), s.DistrictB.Id, December5);
        Assert.True((await database.Get<ScopeService>().GetScopeAsync(As(s.DistrictB))).IsCoordinator);

        database.Clock.Advance(TimeSpan.FromDays(7));
        var applied = Assert.Single(await service.ApplyDueEndsAsync());

        Assert.Equal(["202 Bravo City Schools"], applied.Outcome.SchoolSystemsLeftWithoutDistrictCoordinator);
        Assert.False((await database.Get<ScopeService>().GetScopeAsync(As(s.DistrictB))).IsCoordinator);
        await using var db = await database.OpenAsync();
        var flag = await db.AuditEvents.SingleAsync(e => e.Action == "SchoolSystem.DistrictCoordinatorGap");
        Assert.Equal((s.LeaB.Id, AuditLog.ScheduledEmploymentEndActorName), (flag.SchoolSystemId!.Value, flag.ActorName));
    }

    [Fact]
    public async Task HostedCheck_AppliesAScheduledEndWhenTheClockReachesItsDay()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var grant = await GrantSetup.AddAsync(database, s.UserA1, s.SchoolRole, s.LeaA, s.A1);
        await database.Get<EmploymentService>().EndEmploymentAsync(As(s.DistrictA), s.UserA1.Id, new DateOnly(2026, 11, 29));
        var check = database.Services.GetServices<IHostedService>().OfType<ScheduledEmploymentEnds>().Single();
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());
        await check.StartAsync(CancellationToken.None);
        try
        {
            Assert.True((await GrantSetup.FindAsync(database, grant.Id)).IsActive);

            database.Clock.Advance(TimeSpan.FromDays(1));

            var ended = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.GrantEnded && c.SubjectStaffMemberId == s.UserA1.Id);
            Assert.Null(ended.ActorId);
            Assert.Equal(EmploymentStatus.Ended, (await PersonAsync(database, s.UserA1.Id)).EmploymentStatus);
        }
        finally
        {
            await check.StopAsync(CancellationToken.None);
        }
    }
}
