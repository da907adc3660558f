using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Security;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Coordinators;

public sealed class AssignmentEndingTests
{
    [Fact]
    public async Task EndSupervisor_EndsItTodayWithWhoAndWhy_Audits_AndTheSupervisorLosesTheScope()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var admin = TestState.CallerFor(state.StateAdmin);
        var assignmentId = await SupervisorAssignmentOfAsync(database, state.SupervisorA.Id);

        await database.Get<CoordinatorService>().EndSupervisorAsync(admin, assignmentId, "  Retired.  ");

        await using var db = await database.OpenAsync();
        var ended = await db.SupervisorAssignments.SingleAsync(a => a.Id == assignmentId);
        Assert.Equal((DateOnly.FromDateTime(TestDatabase.DefaultNow.UtcDateTime), state.StateAdmin.Id, "Retired."), (ended.EndsOn, ended.EndedById, ended.EndReason));
        Assert.Equal(TestDatabase.DefaultNow, ended.EndedAt);
        var audit = await db.AuditEvents.SingleAsync();
        Assert.Equal(("Supervisor.Ended", nameof(SupervisorAssignment)), (audit.Action, audit.EntityType));
        Assert.False((await database.Get<ScopeService>().GetScopeAsync(TestState.CallerFor(state.SupervisorA))).IsSupervisor);
    }

    [Fact]
    public async Task EndingAnAssignmentTwice_IsRefusedSayingItHasEnded()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = database.Get<CoordinatorService>();
        var admin = TestState.CallerFor(state.StateAdmin);
        var supervisor = await SupervisorAssignmentOfAsync(database, state.SupervisorA.Id);
        int local;
        await using (var db = await database.OpenAsync())
        {
            local = (await db.CoordinatorAssignments.SingleAsync(a => a.StaffMemberId == state.LocalA.Id)).Id;
        }
        await service.EndSupervisorAsync(admin, supervisor, "Retired.");
        await service.EndCoordinatorAsync(admin, local, "Moved away.");

        var supervisorError = await Assert.ThrowsAsync<AssignmentRefusedException>(() => service.EndSupervisorAsync(admin, supervisor, "Again."));
        var localError = await Assert.ThrowsAsync<AssignmentRefusedException>(() => service.EndCoordinatorAsync(admin, local, "Again."));

        Assert.Equal("That assignment has already ended.", supervisorError.Message);
        Assert.Equal("That assignment has already ended.", localError.Message);
        await using var after = await database.OpenAsync();
        Assert.Equal(["Supervisor.Ended", "Coordinator.Ended"], await after.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync());
    }

    [Fact]
    public async Task EndingWithoutAReason_IsRefused_AndTheAssignmentStays()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var supervisor = await SupervisorAssignmentOfAsync(database, state.SupervisorA.Id);

        var error = await Assert.ThrowsAsync<AssignmentRefusedException>(() =>
            database.Get<CoordinatorService>().EndSupervisorAsync(TestState.CallerFor(state.StateAdmin), supervisor, " "));

        Assert.Contains("Say why", error.Message);
        Assert.True((await database.Get<ScopeService>().GetScopeAsync(TestState.CallerFor(state.SupervisorA))).IsSupervisor);
    }

    [Fact]
    public async Task EndSupervisor_ByADistrictCoordinator_IsDenied()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var supervisor = await SupervisorAssignmentOfAsync(database, state.SupervisorA.Id);

        await Assert.ThrowsAsync<ScopeDeniedException>(() =>
            database.Get<CoordinatorService>().EndSupervisorAsync(TestState.CallerFor(state.DistrictA), supervisor, "Not mine to end."));
    }

    private static async Task<int> SupervisorAssignmentOfAsync(TestDatabase database, int staffMemberId)
    {
        await using var db = await database.OpenAsync();
        return (await db.SupervisorAssignments.SingleAsync(a => a.StaffMemberId == staffMemberId)).Id;
    }
}
