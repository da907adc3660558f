using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Coordinators;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Core.AccessRequests;

/// <summary>
/// The queue page and the badge read a coordinator's routed requests in two parts, by school system and by school: a
/// request that both parts reach is listed and counted once, and each part keeps its own rule.
/// </summary>
public sealed class QueueRoutingReadTests
{
    [Fact]
    public async Task CoordinatorOfASchoolSystemAndOfSchools_SeesEachRoutedRequestOnce_InOrder_AndTheBadgeCountsThem()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using (var db = await database.OpenAsync())
        {
            // District coordinator of A, and also local coordinator of A1 (in A) and of B1 (in B).
            db.CoordinatorAssignments.AddRange(
                new CoordinatorAssignment { StaffMemberId = state.DistrictA.Id, SchoolSystemId = state.LeaA.Id, Coverage = CoordinatorCoverage.School, SchoolId = state.A1.Id, StartsOn = new DateOnly(2026, 1, 1) },
                new CoordinatorAssignment { StaffMemberId = state.DistrictA.Id, SchoolSystemId = state.LeaB.Id, Coverage = CoordinatorCoverage.School, SchoolId = state.B1.Id, StartsOn = new DateOnly(2026, 1, 1) });
            await db.SaveChangesAsync();
        }
        var now = database.Clock.GetUtcNow();
        var inA1 = await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, now.AddDays(-4));
        var inB1 = await TestState.AddPendingRequestAsync(database, state.UserB1, state.SchoolRole, state.LeaB, state.B1, now.AddDays(-3));
        var inA3 = await TestState.AddPendingRequestAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3, now.AddDays(-2));
        var forA = await TestState.AddPendingRequestAsync(database, state.UserA1, state.LeaRole, state.LeaA, null, now.AddDays(-1));
        var endorsing = await TestState.AddPendingRequestAsync(database, state.UserB1, state.IepRole, state.LeaB, state.B1, now.AddDays(-5), AccessRequestStatus.PendingSupervisor);
        // Reaches neither part: another school system's request for a school the person does not coordinate.
        var elsewhere = await TestState.AddPendingRequestAsync(database, state.UserB1, state.LeaRole, state.LeaB, null, now.AddDays(-6));
        var queue = database.Get<ApprovalQueue>();
        var caller = TestState.CallerFor(state.DistrictA);

        var pending = await queue.GetCoordinatorQueueAsync(caller, new QueueQuery(Stage: QueueStage.PendingCoordinator));
        var both = await queue.GetCoordinatorQueueAsync(caller, new QueueQuery());
        var firstPage = await queue.GetCoordinatorQueueAsync(caller, new QueueQuery(Stage: QueueStage.PendingCoordinator, PageSize: 3));
        var secondPage = await queue.GetCoordinatorQueueAsync(caller, new QueueQuery(Stage: QueueStage.PendingCoordinator, Page: 1, PageSize: 3));

        Assert.Equal([inA1.Id, inB1.Id, inA3.Id, forA.Id], pending.Items.Select(r => r.Id));
        Assert.Equal(4, pending.TotalCount);
        Assert.Equal([endorsing.Id, inA1.Id, inB1.Id, inA3.Id, forA.Id], both.Items.Select(r => r.Id));
        // A full page counts in the database; the page after it ends the list.
        Assert.Equal([inA1.Id, inB1.Id, inA3.Id], firstPage.Items.Select(r => r.Id));
        Assert.Equal(4, firstPage.TotalCount);
        Assert.Equal([forA.Id], secondPage.Items.Select(r => r.Id));
        Assert.Equal(4, secondPage.TotalCount);
        Assert.DoesNotContain(elsewhere.Id, both.Items.Select(r => r.Id));
        Assert.Equal(4, await queue.CountAwaitingAsync(caller));
    }
}
