using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Directories;
using EserSecurity.Core.Employment;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Home;
using EserSecurity.Core.Identity;
using EserSecurity.Core.Readiness;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Employment;

/// <summary>
/// Leavers and movers, from the staff directory import (inside its commit) and from a manual end of employment: grants,
/// pending requests and assignments, the change-of-duties list, a return, and the district-coordinator gap.
/// </summary>
public sealed class LeaversAndMoversTests
{
    private static Caller As(StaffMember person) => TestState.CallerFor(person);

    private static Task<DirectoryImportResult> ImportAsync(TestDatabase database, TestState s, DirectoryCsv csv) =>
        database.Get<StaffDirectoryImportService>().CommitAsync(As(s.StateAdmin), csv.ToStream());

    private static async Task<AccessRequest> RequestAsync(TestDatabase database, int id)
    {
        await using var db = await database.OpenAsync();
        return await db.AccessRequests.Include(r => r.Steps).SingleAsync(r => r.Id == id);
    }

    [Fact]
    public async Task ImportedLeaver_LosesEveryGrantRequestAndAssignment_InTheImportsTransaction()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var atA1 = await GrantSetup.AddAsync(database, s.LocalA, s.SchoolRole, s.LeaA, s.A1);
        var atLea = await GrantSetup.AddAsync(database, s.LocalA, s.LeaRole, s.LeaA, null);
        var other = await GrantSetup.AddAsync(database, s.UserA1, s.SchoolRole, s.LeaA, s.A1);
        var pending = await TestState.AddPendingRequestAsync(database, s.LocalA, s.IepRole, s.LeaA, s.A1, database.Clock.GetUtcNow().AddDays(-2),
            AccessRequestStatus.PendingSupervisor);
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        await ImportAsync(database, s, DirectoryCsv.Staff().Person(s.LocalA, "101", "101001", status: "Ended", statusDate: "2026-11-27"));

        foreach (var id in new[] { atA1.Id, atLea.Id })
        {
            var grant = await GrantSetup.FindAsync(database, id);
            Assert.Equal((GrantEndReason.EmploymentEnded, "Left: employment ended on November 27, 2026.", (int?)s.StateAdmin.Id),
                (grant.EndReason!.Value, grant.EndNote!, grant.EndedById));
        }
        Assert.True((await GrantSetup.FindAsync(database, other.Id)).IsActive);
        var request = await RequestAsync(database, pending.Id);
        Assert.Equal(AccessRequestStatus.Cancelled, request.Status);
        var step = Assert.Single(request.Steps);
        Assert.Equal((AccessRequestAction.Cancelled, AccessRequestStatus.PendingSupervisor, "Left: employment ended on November 27, 2026."), (step.Action, step.FromStatus, step.Reason!));
        await using (var db = await database.OpenAsync())
        {
            var assignment = await db.CoordinatorAssignments.SingleAsync(a => a.StaffMemberId == s.LocalA.Id);
            Assert.Equal(new DateOnly(2026, 11, 28), assignment.EndsOn);
            Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.Action == "AccessGrant.Ended" && e.ActorId == s.StateAdmin.Id));
            Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "AccessRequest.Cancelled"));
            Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "Coordinator.Ended"));
        }
        var cancelled = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.RequestCancelled && c.AccessRequestId == pending.Id && c.SubjectStaffMemberId == s.LocalA.Id);
        var supervisor = await database.Get<ScopeService>().GetScopeAsync(As(s.SupervisorA));
        Assert.True(ApprovalQueue.ConcernsSupervisorQueue(cancelled, supervisor));
        Assert.True(ApprovalQueue.ConcernsCoordinatorQueue(cancelled, await database.Get<ScopeService>().GetScopeAsync(As(s.DistrictA))));
        Assert.True(ReadinessService.ConcernsSchoolSystem(cancelled, s.LeaA.Id));
        await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.GrantEnded, 2);
        await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.AssignmentChanged && c.SubjectStaffMemberId == s.LocalA.Id);
        var employment = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.EmploymentChanged);
        Assert.True(SignOnLinks.ConcernsSignedInPerson(employment, s.LocalA.Id));
        Assert.False((await database.Get<ScopeService>().GetScopeAsync(As(s.LocalA))).IsCoordinator);
    }

    [Fact]
    public async Task ImportedLeaver_WhoWasTheLastDistrictCoordinator_IsFlaggedToTheStateNotRefused()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var home = database.Get<HomeService>();
        var before = (await home.GetSummaryAsync(As(s.StateAdmin))).Statewide!.SchoolSystemsWithoutDistrictCoordinator;

        var result = await ImportAsync(database, s, DirectoryCsv.Staff().Person(s.DistrictB, "202", "", status: "Ended", statusDate: "2026-11-27"));

        Assert.True(result.Changed);
        Assert.Equal(before + 1, (await home.GetSummaryAsync(As(s.StateAdmin))).Statewide!.SchoolSystemsWithoutDistrictCoordinator);
        await using var db = await database.OpenAsync();
        var flag = await db.AuditEvents.SingleAsync(e => e.Action == "SchoolSystem.DistrictCoordinatorGap");
        Assert.Equal(s.LeaB.Id, flag.SchoolSystemId);
    }

    [Fact]
    public async Task ManualEndEmployment_EndsEverything_ReportsTheGap_AndTheLeaverLosesTheConsole()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var grant = await GrantSetup.AddAsync(database, s.DistrictB, s.LeaRole, s.LeaB, null);
        var pending = await TestState.AddPendingRequestAsync(database, s.DistrictB, s.SchoolRole, s.LeaB, s.B1, database.Clock.GetUtcNow());
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        var outcome = await database.Get<EmploymentService>().EndEmploymentAsync(As(s.StateAdmin), s.DistrictB.Id, new DateOnly(2026, 11, 26), "Retired.");

        Assert.Equal((1, 1, 1), (outcome.GrantsEnded, outcome.RequestsCancelled, outcome.AssignmentsEnded));
        Assert.Equal(["202 Bravo City Schools"], outcome.SchoolSystemsLeftWithoutDistrictCoordinator);
        Assert.Contains("now has no district security coordinator", outcome.Message);
        Assert.Equal(GrantEndReason.EmploymentEnded, (await GrantSetup.FindAsync(database, grant.Id)).EndReason);
        Assert.Equal(AccessRequestStatus.Cancelled, (await RequestAsync(database, pending.Id)).Status);
        var employment = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.EmploymentChanged && c.SubjectStaffMemberId == s.DistrictB.Id);
        Assert.True(SignOnLinks.ConcernsSignedInPerson(employment, s.DistrictB.Id));
        Assert.True(DirectoryRecords.ConcernsPerson(employment, s.DistrictB.Id));
        var record = await database.Get<DirectoryRecords>().GetPersonAsync(As(s.StateAdmin), s.DistrictB.Id);
        Assert.Equal((EmploymentStatus.Ended, new DateOnly(2026, 11, 26)), (record.EmploymentStatus, record.EmploymentEndedOn!.Value));
        Assert.Contains(record.Changes, c => c.Kind == StaffDirectoryChangeKind.EmploymentStatusChanged && c.NewValue == "Ended");
        await using var db = await database.OpenAsync();
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "StaffMember.EmploymentEnded" && e.ActorId == s.StateAdmin.Id));
    }

    [Fact]
    public async Task ManualEndEmployment_IsRefusedTwiceAndOutsideScope()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var service = database.Get<EmploymentService>();

        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.EndEmploymentAsync(As(s.DistrictB), s.UserA1.Id, new DateOnly(2026, 11, 28)));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.EndEmploymentAsync(As(s.LocalA), s.UserA3.Id, new DateOnly(2026, 11, 28)));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.EndEmploymentAsync(As(s.SupervisorA), s.UserA1.Id, new DateOnly(2026, 11, 28)));
        await Assert.ThrowsAsync<EmploymentRefusedException>(() => service.EndEmploymentAsync(As(s.DistrictA), s.DistrictA.Id, new DateOnly(2026, 11, 28)));

        await service.EndEmploymentAsync(As(s.LocalA), s.UserA1.Id, new DateOnly(2026, 11, 27));
        var twice = await Assert.ThrowsAsync<EmploymentRefusedException>(() => service.EndEmploymentAsync(As(s.StateAdmin), s.UserA1.Id, new DateOnly(2026, 11, 28)));

        Assert.Equal("user alpha1's employment already ended on November 27, 2026.", twice.Message);
    }

    [Fact]
    public async Task MoverToAnotherSchoolSystem_LosesTheOldSchoolSystemsGrantsAndRequestsOnly()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var inA = await GrantSetup.AddAsync(database, s.UserA1, s.SchoolRole, s.LeaA, s.A1);
        var inB = await GrantSetup.AddAsync(database, s.UserA1, s.SchoolRole, s.LeaB, s.B1);
        var pendingA = await TestState.AddPendingRequestAsync(database, s.UserA1, s.LeaRole, s.LeaA, null, database.Clock.GetUtcNow());
        var pendingB = await TestState.AddPendingRequestAsync(database, s.UserA1, s.LeaRole, s.LeaB, null, database.Clock.GetUtcNow());

        await ImportAsync(database, s, DirectoryCsv.Staff().Person(s.UserA1, "202", "202001", statusDate: "2026-11-25"));

        var endedA = await GrantSetup.FindAsync(database, inA.Id);
        Assert.Equal((GrantEndReason.EmploymentEnded, "Left: moved to another school system on November 25, 2026."), (endedA.EndReason!.Value, endedA.EndNote!));
        Assert.True((await GrantSetup.FindAsync(database, inB.Id)).IsActive);
        Assert.Equal(AccessRequestStatus.Cancelled, (await RequestAsync(database, pendingA.Id)).Status);
        Assert.Equal(AccessRequestStatus.PendingCoordinator, (await RequestAsync(database, pendingB.Id)).Status);
    }

    [Fact]
    public async Task MoverBetweenSchools_RequestsForTheSchoolLeftAreCancelled_OthersStayPending()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var atA1 = await TestState.AddPendingRequestAsync(database, s.UserA1, s.SchoolRole, s.LeaA, s.A1, database.Clock.GetUtcNow());
        var atA3 = await TestState.AddPendingRequestAsync(database, s.UserA1, s.SchoolRole, s.LeaA, s.A3, database.Clock.GetUtcNow());
        var forLea = await TestState.AddPendingRequestAsync(database, s.UserA1, s.LeaRole, s.LeaA, null, database.Clock.GetUtcNow());
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        await ImportAsync(database, s, DirectoryCsv.Staff().Person(s.UserA1, "101", "101003", statusDate: "2026-11-25"));

        var cancelled = await RequestAsync(database, atA1.Id);
        Assert.Equal(AccessRequestStatus.Cancelled, cancelled.Status);
        Assert.Equal("Left that school: moved to other schools of the school system on November 25, 2026.",
            cancelled.Steps.Single(t => t.Action == AccessRequestAction.Cancelled).Reason);
        Assert.Equal(AccessRequestStatus.PendingCoordinator, (await RequestAsync(database, atA3.Id)).Status);
        Assert.Equal(AccessRequestStatus.PendingCoordinator, (await RequestAsync(database, forLea.Id)).Status);
        await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.RequestCancelled && c.AccessRequestId == atA1.Id);
    }

    [Fact]
    public async Task Return_FromEndedToActive_RestoresNothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var grant = await GrantSetup.AddAsync(database, s.UserA1, s.SchoolRole, s.LeaA, s.A1);
        await database.Get<EmploymentService>().EndEmploymentAsync(As(s.DistrictA), s.UserA1.Id, new DateOnly(2026, 11, 27));
        database.Clock.Advance(TimeSpan.FromDays(3));

        await ImportAsync(database, s, DirectoryCsv.Staff().Person(s.UserA1, "101", "101001", status: "Active", statusDate: "2026-12-01"));

        await using var db = await database.OpenAsync();
        Assert.Equal(EmploymentStatus.Active, (await db.StaffMembers.FindAsync(s.UserA1.Id))!.EmploymentStatus);
        Assert.False((await GrantSetup.FindAsync(database, grant.Id)).IsActive);
        Assert.Equal(1, await db.AccessGrants.CountAsync(g => g.StaffMemberId == s.UserA1.Id));
        Assert.Empty(db.ChangeOfDutiesItems);
    }

    [Fact]
    public async Task ImportThatFails_LeavesGrantsAsTheyWere()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var grant = await GrantSetup.AddAsync(database, s.UserA1, s.SchoolRole, s.LeaA, s.A1);
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => database.Get<StaffDirectoryImportService>().CommitAsync(As(s.StateAdmin),
            DirectoryCsv.Staff().Person(s.UserA1, "101", "101001", status: "Ended", statusDate: "2026-11-27").ToStream(), null, new SynchronousProgress(cancel), cancel.Token));

        Assert.True((await GrantSetup.FindAsync(database, grant.Id)).IsActive);
        await using var db = await database.OpenAsync();
        Assert.Equal(EmploymentStatus.Active, (await db.StaffMembers.FindAsync(s.UserA1.Id))!.EmploymentStatus);
    }

    /// <summary>Cancels the import as soon as it starts writing, on the writer's own thread, so the cancellation lands inside the transaction.</summary>
    private sealed class SynchronousProgress(CancellationTokenSource cancel) : IProgress<DirectoryImportProgress>
    {
        public void Report(DirectoryImportProgress value)
        {
            if (value.Stage == DirectoryImportStage.Writing)
            {
                cancel.Cancel();
            }
        }
    }
}
