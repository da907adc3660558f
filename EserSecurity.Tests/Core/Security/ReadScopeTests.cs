using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Security;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Security;

/// <summary>
/// Reads that refresh often use a kept scope. It may lag a change made straight in the database for at most
/// <see cref="ScopeService.ReadScopeLifetime"/>, and never lags a change made through the coordinator service.
/// </summary>
public sealed class ReadScopeTests
{
    [Fact]
    public async Task KeptScope_LagsAnOutsideChangeAtMostItsLifetime()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, database.Clock.GetUtcNow().AddDays(-1));
        var queue = database.Get<ApprovalQueue>();
        var district = TestState.CallerFor(state.DistrictA);
        Assert.Equal(1, await queue.CountAwaitingAsync(district));

        // Ended in the database by something that publishes nothing (another server, a script).
        await using (var db = await database.OpenAsync())
        {
            await db.CoordinatorAssignments.Where(a => a.StaffMemberId == state.DistrictA.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(a => a.EndsOn, database.Clock.Today().AddDays(-1)));
        }
        Assert.Equal(1, await queue.CountAwaitingAsync(district));

        database.Clock.Advance(ScopeService.ReadScopeLifetime);
        Assert.Equal(0, await queue.CountAwaitingAsync(district));
    }

    [Fact]
    public async Task KeptScope_IsForgottenTheMomentAnAssignmentEndsThroughTheService()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, database.Clock.GetUtcNow().AddDays(-1));
        var queue = database.Get<ApprovalQueue>();
        var local = TestState.CallerFor(state.LocalA);
        Assert.Equal(1, (await queue.GetCoordinatorQueueAsync(local, new QueueQuery())).TotalCount);

        int assignmentId;
        await using (var db = await database.OpenAsync())
        {
            assignmentId = await db.CoordinatorAssignments.Where(a => a.StaffMemberId == state.LocalA.Id).Select(a => a.Id).SingleAsync();
        }
        await database.Get<CoordinatorService>().EndCoordinatorAsync(TestState.CallerFor(state.DistrictA), assignmentId, "Moved to another school.");

        // No time passes: the kept scope must already be gone.
        Assert.Equal(0, (await queue.GetCoordinatorQueueAsync(local, new QueueQuery())).TotalCount);
        Assert.Equal(0, await queue.CountAwaitingAsync(local));
    }
}
