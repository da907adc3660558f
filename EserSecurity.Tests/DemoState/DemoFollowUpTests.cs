using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Data;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.DemoState;

public sealed class DemoFollowUpTests
{
    [Fact]
    public async Task ANewConsoleLateInTheDay_SendsNoBurstOfOldFollowUpsOrAssuranceReminders_ButTheQueueShowsTheEscalations()
    {
        await using var database = await TestDatabase.CreateAsync(DemoStateSize.Small, now: new DateTimeOffset(2026, 12, 6, 22, 30, 0, TimeSpan.Zero));

        Assert.Equal(0, await database.Get<RequestFollowUp>().RunAsync());
        Assert.Equal(0, await database.Get<AssuranceReminders>().RunAsync());
        Assert.Equal((0, 0), await database.Get<EserSecurity.Core.Grants.GrantExpiry>().RunAsync());
        await using var db = await database.OpenAsync();
        Assert.True(await db.AccessRequests.AnyAsync(r => r.FollowUp == WaitingFollowUp.EscalatedToState));
        Assert.True(await db.Notifications.AnyAsync(n => n.Key == "assurance:2026:overdue"));
    }

    [Fact]
    public async Task TheDemoState_HasAccessThatEndsSoon_TheLocalCoordinatorsOwnToRenew_WhileAwayWithADeputy()
    {
        await using var database = await TestDatabase.CreateAsync(DemoStateSize.Small);
        await using var db = await database.OpenAsync();
        var local = await db.StaffMembers.SingleAsync(s => s.Username == EserSecurity.DemoState.DemoPeople.LocalCoordinator);
        var deputyId = (await db.StaffMembers.SingleAsync(s => s.Username == EserSecurity.DemoState.DemoPeople.DistrictCoordinator2)).Id;

        var access = await database.Get<EserSecurity.Core.Grants.GrantService>().GetPersonAccessAsync(TestState.CallerFor(local), local.Id);
        var scope = await database.Get<EserSecurity.Core.Security.ScopeService>().GetScopeAsync(TestState.CallerFor(await db.StaffMembers.SingleAsync(s => s.Id == deputyId)));

        Assert.Contains(access.Grants, g => g.CanRenew);
        Assert.True(await db.AccessGrants.CountAsync(g => g.EndedAt == null && g.EndsOn != null) > 1);
        Assert.Equal(local.Id, scope.Covers.Single().AbsentId);
    }
}
