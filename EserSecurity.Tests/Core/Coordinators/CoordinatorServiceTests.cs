using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Coordinators;

public sealed class CoordinatorServiceTests
{
    private static async Task<(TestDatabase Db, TestState State, CoordinatorService Service)> ArrangeAsync()
    {
        var db = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(db);
        return (db, state, db.Get<CoordinatorService>());
    }

    private static async Task<IReadOnlySet<int>> WhoSeesAsync(TestDatabase database, int lea, int? school)
    {
        await using var db = await database.OpenAsync();
        return await RequestRouting.WhoSeesAsync(db, lea, school, DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime));
    }

    [Fact]
    public async Task Routing_SchoolInGroup_ReachesDistrictAndGroupCoordinator()
    {
        var (database, state, _) = await ArrangeAsync();
        await using var _ = database;

        Assert.Equal(new HashSet<int> { state.DistrictA.Id, state.LocalA.Id }, await WhoSeesAsync(database, state.LeaA.Id, state.A1.Id));
    }

    [Fact]
    public async Task Routing_SchoolWithoutLocalCoordinator_ReachesDistrictOnly()
    {
        var (database, state, _) = await ArrangeAsync();
        await using var _ = database;

        Assert.Equal(new HashSet<int> { state.DistrictA.Id }, await WhoSeesAsync(database, state.LeaA.Id, state.A3.Id));
    }

    [Fact]
    public async Task Routing_SchoolSystemLevelRequest_ReachesDistrictOnly()
    {
        var (database, state, _) = await ArrangeAsync();
        await using var _ = database;

        Assert.Equal(new HashSet<int> { state.DistrictA.Id }, await WhoSeesAsync(database, state.LeaA.Id, null));
    }

    [Fact]
    public async Task Routing_SingleSchoolCoordinator_ReachesThatSchoolOnly()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        await service.AssignLocalCoordinatorAsync(TestState.CallerFor(state.DistrictA), state.LeaA.Id, state.UserA3.Id, new LocalCoverage(state.A3.Id, null));

        Assert.Contains(state.UserA3.Id, await WhoSeesAsync(database, state.LeaA.Id, state.A3.Id));
        Assert.DoesNotContain(state.UserA3.Id, await WhoSeesAsync(database, state.LeaA.Id, state.A1.Id));
    }

    [Fact]
    public async Task Routing_EndedAssignment_NoLongerReaches()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        int assignmentId;
        await using (var db = await database.OpenAsync())
        {
            assignmentId = (await db.CoordinatorAssignments.SingleAsync(a => a.StaffMemberId == state.LocalA.Id)).Id;
        }

        await service.EndCoordinatorAsync(TestState.CallerFor(state.DistrictA), assignmentId, "Moved to another school.");

        Assert.Equal(new HashSet<int> { state.DistrictA.Id }, await WhoSeesAsync(database, state.LeaA.Id, state.A1.Id));
        var scope = await database.Get<ScopeService>().GetScopeAsync(TestState.CallerFor(state.LocalA));
        Assert.False(scope.IsLocalCoordinator);
    }

    [Fact]
    public async Task Routing_FutureDatedAssignment_ReachesFromItsStartDay()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        var tomorrow = DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime).AddDays(1);
        await service.AssignLocalCoordinatorAsync(TestState.CallerFor(state.DistrictA), state.LeaA.Id, state.UserA3.Id, new LocalCoverage(state.A3.Id, null), tomorrow);

        Assert.DoesNotContain(state.UserA3.Id, await WhoSeesAsync(database, state.LeaA.Id, state.A3.Id));
        database.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Contains(state.UserA3.Id, await WhoSeesAsync(database, state.LeaA.Id, state.A3.Id));
    }

    [Fact]
    public async Task Routing_SchoolSystemWithoutDistrictCoordinator_IsUnroutedAndListedForTheStateAdmin()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        await using (var db = await database.OpenAsync())
        {
            await db.CoordinatorAssignments.Where(a => a.StaffMemberId == state.DistrictB.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.EndsOn, new DateOnly(2026, 11, 1)));
        }
        var request = await TestState.AddPendingRequestAsync(database, state.UserB1, state.SchoolRole, state.LeaB, state.B1, database.Clock.GetUtcNow());

        Assert.Empty(await WhoSeesAsync(database, state.LeaB.Id, state.B1.Id));
        var unrouted = await service.GetUnroutedRequestsAsync(TestState.CallerFor(state.StateAdmin));
        Assert.Equal(request.Id, Assert.Single(unrouted).Id);
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.GetUnroutedRequestsAsync(TestState.CallerFor(state.DistrictA)));
    }

    [Fact]
    public async Task Tree_FlagsSchoolSystemsBreakingTheMinimum_AndSchoolsCoveredByDistrict()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        await using (var db = await database.OpenAsync())
        {
            await db.CoordinatorAssignments.Where(a => a.StaffMemberId == state.DistrictB.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.EndsOn, new DateOnly(2026, 11, 1)));
        }

        var nodes = await service.GetSchoolSystemsAsync(TestState.CallerFor(state.StateAdmin));
        var children = await service.GetChildrenAsync(TestState.CallerFor(state.StateAdmin), state.LeaA.Id);

        Assert.False(nodes.Single(n => n.Id == state.LeaA.Id).BreaksMinimum);
        Assert.True(nodes.Single(n => n.Id == state.LeaB.Id).BreaksMinimum);
        Assert.Equal(1, nodes.Single(n => n.Id == state.LeaA.Id).SchoolsCoveredByDistrictOnly);
        Assert.Equal([state.LeaB.Id], (await service.GetSchoolSystemsAsync(TestState.CallerFor(state.StateAdmin), gapsOnly: true)).Select(n => n.Id));
        Assert.True(children.Schools.Single(s => s.Id == state.A3.Id).CoveredByDistrictOnly);
        var a1 = Assert.Single(children.Schools.Single(s => s.Id == state.A1.Id).LocalCoordinators);
        Assert.Equal((state.LocalA.Id, "Alpha North"), (a1.Person.StaffMemberId, a1.GroupName));
        Assert.Equal(1, (await service.GetCoverageSummaryAsync(TestState.CallerFor(state.StateAdmin))).BreakingMinimum);
    }

    [Fact]
    public async Task Tree_CoordinatorWhoseEmploymentEnded_IsFlagged_AndNoLongerMeetsTheMinimum()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        await using (var db = await database.OpenAsync())
        {
            await db.StaffMembers.Where(s => s.Id == state.DistrictB.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.EmploymentStatus, EmploymentStatus.Ended));
        }

        var b = (await service.GetSchoolSystemsAsync(TestState.CallerFor(state.StateAdmin))).Single(n => n.Id == state.LeaB.Id);

        Assert.True(Assert.Single(b.DistrictCoordinators).NeedsAttention);
        Assert.True(b.BreaksMinimum);
    }

    [Fact]
    public async Task Tree_DistrictCoordinatorSeesOnlyTheirSchoolSystem_AndCannotOpenAnother()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;

        var nodes = await service.GetSchoolSystemsAsync(TestState.CallerFor(state.DistrictA));

        Assert.Equal([state.LeaA.Id], nodes.Select(n => n.Id));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.GetChildrenAsync(TestState.CallerFor(state.DistrictA), state.LeaB.Id));
    }

    [Fact]
    public async Task EndingTheLastDistrictCoordinator_IsRefusedSayingWhy()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        int assignmentId;
        await using (var db = await database.OpenAsync())
        {
            assignmentId = (await db.CoordinatorAssignments.SingleAsync(a => a.StaffMemberId == state.DistrictA.Id)).Id;
        }

        var error = await Assert.ThrowsAsync<CoordinatorRefusedException>(() =>
            service.EndCoordinatorAsync(TestState.CallerFor(state.StateAdmin), assignmentId, "Retired."));

        Assert.Contains("last district security coordinator", error.Message);
        Assert.Contains("at least one", error.Message);
    }

    [Fact]
    public async Task EndingADistrictCoordinator_WithAnotherInPlace_EndsItAndAudits()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        var admin = TestState.CallerFor(state.StateAdmin);
        await service.AssignDistrictCoordinatorAsync(admin, state.LeaA.Id, state.UserA3.Id);
        int assignmentId;
        await using (var db = await database.OpenAsync())
        {
            assignmentId = (await db.CoordinatorAssignments.SingleAsync(a => a.StaffMemberId == state.DistrictA.Id)).Id;
        }

        await service.EndCoordinatorAsync(admin, assignmentId, "Duties changed.");

        await using var after = await database.OpenAsync();
        var ended = await after.CoordinatorAssignments.SingleAsync(a => a.Id == assignmentId);
        Assert.Equal((state.StateAdmin.Id, "Duties changed."), (ended.EndedById, ended.EndReason));
        Assert.Equal(["Coordinator.Assigned", "Coordinator.Ended"], await after.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync());
    }

    [Theory]
    [InlineData("DistrictA", "district", "A", false)]
    [InlineData("StateAdmin", "district", "A", true)]
    [InlineData("DistrictA", "local", "A", true)]
    [InlineData("DistrictA", "local", "B", false)]
    [InlineData("LocalA", "local", "A", false)]
    [InlineData("SupervisorA", "local", "A", false)]
    [InlineData("DistrictA", "supervisor", "A", false)]
    [InlineData("StateAdmin", "supervisor", "A", true)]
    [InlineData("DistrictA", "group", "A", true)]
    [InlineData("DistrictA", "group", "B", false)]
    [InlineData("UserA1", "group", "A", false)]
    public async Task AssignmentChanges_AreAllowedExactlyWithinScope(string who, string change, string lea, bool allowed)
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        var caller = TestState.CallerFor(who switch
        {
            "DistrictA" => state.DistrictA,
            "StateAdmin" => state.StateAdmin,
            "LocalA" => state.LocalA,
            "SupervisorA" => state.SupervisorA,
            _ => state.UserA1,
        });
        var (leaId, person, schools) = lea == "A"
            ? (state.LeaA.Id, state.UserA3.Id, new[] { state.A2.Id, state.A3.Id })
            : (state.LeaB.Id, state.UserB1.Id, new[] { state.B1.Id, state.B1.Id });

        Task attempt = change switch
        {
            "district" => service.AssignDistrictCoordinatorAsync(caller, leaId, person),
            "local" => service.AssignLocalCoordinatorAsync(caller, leaId, person, new LocalCoverage(schools[1], null)),
            "supervisor" => service.AssignSupervisorAsync(caller, leaId, person),
            _ => service.CreateGroupAsync(caller, leaId, "South", schools),
        };

        if (allowed)
        {
            await attempt;
        }
        else
        {
            await Assert.ThrowsAsync<ScopeDeniedException>(() => attempt);
        }
    }

    [Fact]
    public async Task Assigning_SomeoneFromAnotherSchoolSystem_IsRefused()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;

        var error = await Assert.ThrowsAsync<CoordinatorRefusedException>(() => service.AssignLocalCoordinatorAsync(
            TestState.CallerFor(state.DistrictA), state.LeaA.Id, state.UserB1.Id, new LocalCoverage(state.A3.Id, null)));

        Assert.Contains("active staff member of this school system", error.Message);
    }

    [Fact]
    public async Task NewGroupCoordinator_SeesTheGroupsRequestsAtOnce()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        var district = TestState.CallerFor(state.DistrictA);
        var request = await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A3, database.Clock.GetUtcNow());
        var queue = database.Get<ApprovalQueue>();
        Assert.Empty((await queue.GetCoordinatorQueueAsync(TestState.CallerFor(state.UserA3), new QueueQuery())).Items);

        var group = await service.CreateGroupAsync(district, state.LeaA.Id, "Alpha South", [state.A2.Id, state.A3.Id]);
        await service.AssignLocalCoordinatorAsync(district, state.LeaA.Id, state.UserA3.Id, new LocalCoverage(null, group));

        Assert.Equal([request.Id], (await queue.GetCoordinatorQueueAsync(TestState.CallerFor(state.UserA3), new QueueQuery())).Items.Select(r => r.Id));
        await service.UpdateGroupAsync(district, group, "Alpha South", [state.A1.Id, state.A2.Id]);
        Assert.Empty((await queue.GetCoordinatorQueueAsync(TestState.CallerFor(state.UserA3), new QueueQuery())).Items);
    }

    [Fact]
    public async Task Group_WithOneSchoolOrADuplicateName_IsRefused()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        var district = TestState.CallerFor(state.DistrictA);

        await Assert.ThrowsAsync<CoordinatorRefusedException>(() => service.CreateGroupAsync(district, state.LeaA.Id, "Solo", [state.A1.Id]));
        var error = await Assert.ThrowsAsync<CoordinatorRefusedException>(() => service.CreateGroupAsync(district, state.LeaA.Id, "Alpha North", [state.A1.Id, state.A3.Id]));
        Assert.Contains("already has a group", error.Message);
    }
}
