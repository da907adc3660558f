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
        await using var db = await database.OpenAsync();
        Assert.True(await db.AccessRequests.AnyAsync(r => r.FollowUp == WaitingFollowUp.EscalatedToState));
        Assert.True(await db.Notifications.AnyAsync(n => n.Key == "assurance:2026:overdue"));
    }
}
