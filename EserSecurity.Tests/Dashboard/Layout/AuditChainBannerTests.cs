using Bunit;
using EserSecurity.Core.Audit;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Dashboard.Components.Layout;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Dashboard.Layout;

public sealed class AuditChainBannerTests
{
    [Fact]
    public async Task AStateAdministrator_SeesTheBannerWhenACheckFindsTheChainBroken_AndItGoesWhenAnotherFindsItIntact()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await PolicySetup.UpdateAsync(database, state, TestState.CallerFor(state.StateAdmin), state.LeaA.Id, new SecurityPolicyChange(new DateOnly(2026, 8, 1), true, null));
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        await using var coordinatorCtx = DashboardContext.Create(database, state.DistrictA.Username);
        var banner = ctx.Render<AuditChainBanner>();
        var coordinatorBanner = coordinatorCtx.Render<AuditChainBanner>();
        Assert.Empty(banner.FindAll("[data-testid=audit-chain-banner]"));
        string original;
        await using (var db = await database.OpenAsync())
        {
            original = await db.AuditEvents.Where(e => e.Sequence == 1).Select(e => e.ActorName).SingleAsync();
            await db.Database.ExecuteSqlRawAsync("UPDATE AuditEvents SET ActorName = 'Someone Else' WHERE Sequence = 1");
        }

        await database.Get<AuditLog>().VerifyAndRecordAsync(null);

        banner.WaitForAssertion(() => Assert.StartsWith("The audit chain is broken at event 1: Event 1 was altered after it was written",
            banner.Find("[data-testid=audit-chain-banner]").TextContent.Trim()));
        Assert.Empty(coordinatorBanner.FindAll("[data-testid=audit-chain-banner]"));
        await using (var db = await database.OpenAsync())
        {
            await db.Database.ExecuteSqlAsync($"UPDATE AuditEvents SET ActorName = {original} WHERE Sequence = 1");
        }
        await database.Get<AuditLog>().VerifyAndRecordAsync(null);
        banner.WaitForAssertion(() => Assert.Empty(banner.FindAll("[data-testid=audit-chain-banner]")));
    }
}
