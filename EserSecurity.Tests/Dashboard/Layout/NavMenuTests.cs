using Bunit;
using EserSecurity.Core.Security;
using EserSecurity.Dashboard.Components.Layout;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Dashboard.Layout;

public sealed class NavMenuTests
{
    private static async Task<IReadOnlyList<string>> LinksForAsync(Func<TestState, Caller> who)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var scope = await database.Get<ScopeService>().GetScopeAsync(who(state));
        await using var ctx = DashboardContext.Create(database, null);

        var menu = ctx.Render<NavMenu>(p => p.Add(m => m.Scope, scope));

        return menu.FindAll("nav[aria-label='Main navigation'] a").Select(a => a.TextContent.Trim()).ToList();
    }

    [Fact]
    public async Task StateAdministrator_SeesSchoolSystemsAndAuditLog()
    {
        var links = await LinksForAsync(s => TestState.CallerFor(s.StateAdmin));
        Assert.Equal(["Home", "School systems", "Audit log"], links);
    }

    [Fact]
    public async Task DistrictCoordinator_SeesSchoolSystemsButNotAuditLog()
    {
        var links = await LinksForAsync(s => TestState.CallerFor(s.DistrictA));
        Assert.Equal(["Home", "School systems"], links);
    }

    [Fact]
    public async Task StaffUser_SeesOnlyHome()
    {
        var links = await LinksForAsync(s => TestState.CallerFor(s.UserA1));
        Assert.Equal(["Home"], links);
    }
}
