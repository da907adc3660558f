using EserSecurity.Core.AccessRequests;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.AccessRequests;

public sealed class AccessRequestTests
{
    private static readonly DateTimeOffset At = TestDatabase.DefaultNow.AddHours(-3);

    [Fact]
    public async Task Open_Submitted_WaitsForACoordinatorWithTheRequestersSubmittedStep()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);

        var opened = AccessRequest.Open(state.UserA1.Id, state.SchoolRole.Id, state.LeaA.Id, state.A1.Id, "I enter evaluations.", At);
        await using (var db = await database.OpenAsync())
        {
            db.AccessRequests.Add(opened);
            await db.SaveChangesAsync();
        }

        await using var read = await database.OpenAsync();
        var request = await read.AccessRequests.AsNoTracking().Include(r => r.Steps).SingleAsync(r => r.Id == opened.Id);
        Assert.Equal((state.UserA1.Id, state.SchoolRole.Id, state.LeaA.Id, (int?)state.A1.Id), (request.RequesterId, request.EserRoleId, request.SchoolSystemId, request.SchoolId));
        Assert.Equal("I enter evaluations.", request.Justification);
        Assert.Equal(AccessRequestStatus.PendingCoordinator, request.Status);
        Assert.Equal(At, request.SubmittedAt);
        Assert.Null(request.ClosedAt);
        var step = Assert.Single(request.Steps);
        Assert.Equal(AccessRequestAction.Submitted, step.Action);
        Assert.Equal((AccessRequestStatus.PendingCoordinator, AccessRequestStatus.PendingCoordinator), (step.FromStatus, step.ToStatus));
        Assert.Equal(state.UserA1.Id, step.ActorId);
        Assert.Equal(At, step.At);
    }

    [Fact]
    public void Open_InTheTasMigration_BeginsWithTheCoordinatorsMigratedStep()
    {
        var request = AccessRequest.Open(requesterId: 7, eserRoleId: 3, schoolSystemId: 2, schoolId: null, "Held it in TAS.", At, migratedById: 11);

        Assert.Equal(AccessRequestStatus.PendingCoordinator, request.Status);
        Assert.Equal(7, request.RequesterId);
        var step = Assert.Single(request.Steps);
        Assert.Equal(AccessRequestAction.MigratedFromTas, step.Action);
        Assert.Equal((AccessRequestStatus.PendingCoordinator, AccessRequestStatus.PendingCoordinator), (step.FromStatus, step.ToStatus));
        Assert.Equal(11, step.ActorId);
        Assert.Equal(At, step.At);
    }
}
