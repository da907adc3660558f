using Bunit;
using EserSecurity.Core.Security;
using EserSecurity.Dashboard.Components.Layout;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Dashboard.Layout;

public sealed class NavMenuTests
{
    private static async Task<IReadOnlyList<string>> LinksForAsync(Func<TestState, EserSecurity.Core.Staff.StaffMember> who)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var scope = await database.Get<ScopeService>().GetScopeAsync(TestState.CallerFor(who(state)));
        await using var ctx = DashboardContext.Create(database, who(state).Username);

        var menu = ctx.Render<NavMenu>(p => p.Add(m => m.Scope, scope));

        return menu.FindAll("nav[aria-label='Main navigation'] a").Select(a => a.TextContent.Trim()).ToList();
    }

    [Fact]
    public async Task StateAdministrator_SeesEveryStatewidePage()
    {
        var links = await LinksForAsync(s => s.StateAdmin);
        Assert.Equal(["Home", "Link requests", "Change of duties", "Access ending soon", "Confidentiality assurance", "Coordinators", "Deputies", "School systems", "Assurance status", "Documents", "Access reviews", "Go-live readiness", "Import school directory", "Import staff directory", "Import TAS report", "Migrate TAS access", "Assurance statements", "Roles and TAS mapping", "Key dates", "Audit log", "State administrators", "API clients"], links);
    }

    [Fact]
    public async Task DistrictCoordinator_SeesQueueCoordinatorsTasImportAndTheAuditLog()
    {
        var links = await LinksForAsync(s => s.DistrictA);
        Assert.Equal(["Home", "Approval queue", "Link requests", "Change of duties", "Access ending soon", "Request access", "My requests", "Confidentiality assurance", "Coordinators", "Deputies", "School systems", "Assurance status", "Documents", "Access reviews", "Go-live readiness", "Import staff directory", "Import TAS report", "Migrate TAS access", "Audit log"], links);
    }

    [Fact]
    public async Task Supervisor_SeesReadinessAndTheAuditLogButNotMigration_AndLocalCoordinatorSeesNone()
    {
        var supervisor = await LinksForAsync(s => s.SupervisorA);
        Assert.Contains("Go-live readiness", supervisor);
        Assert.Contains("Audit log", supervisor);
        Assert.Contains("Access reviews", supervisor);
        Assert.DoesNotContain("Migrate TAS access", supervisor);
        Assert.DoesNotContain("Link requests", supervisor);
        Assert.DoesNotContain("Change of duties", supervisor);
        var local = await LinksForAsync(s => s.LocalA);
        Assert.DoesNotContain("Link requests", local);
        Assert.Contains("Change of duties", local);
        Assert.Contains("Access reviews", local);
        Assert.DoesNotContain("Go-live readiness", local);
        Assert.DoesNotContain("Migrate TAS access", local);
        Assert.DoesNotContain("Audit log", local);
    }

    [Fact]
    public async Task AStaffMemberWhileDeputyForALocalCoordinator_SeesTheApprovalQueue_AndNothingElseOfTheirs()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var today = DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime);
        await database.Get<EserSecurity.Core.Coordinators.DeputyService>().NameAsync(TestState.CallerFor(state.DistrictA),
            new EserSecurity.Core.Coordinators.NewDeputy(state.LocalA.Id, state.UserA3.Id, state.LeaA.Id, today, today.AddDays(2)));
        var scope = await database.Get<ScopeService>().GetScopeAsync(TestState.CallerFor(state.UserA3));
        await using var ctx = DashboardContext.Create(database, state.UserA3.Username);

        var menu = ctx.Render<NavMenu>(p => p.Add(m => m.Scope, scope));

        Assert.Equal(["Home", "Approval queue", "Request access", "My requests", "Confidentiality assurance"],
            menu.FindAll("nav[aria-label='Main navigation'] a").Select(a => a.TextContent.Trim()));
    }

    [Fact]
    public async Task StaffUser_SeesOnlyTheirOwnPages()
    {
        var links = await LinksForAsync(s => s.UserA1);
        Assert.Equal(["Home", "Request access", "My requests", "Confidentiality assurance"], links);
    }
}

public sealed class NavMenuBadgeTests
{
    [Fact]
    public async Task QueueBadge_CountsRequestsWaitingForTheCoordinator_AndFollowsNewOnes()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await TestState.AddPendingRequestAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3, database.Clock.GetUtcNow());
        var scope = await database.Get<ScopeService>().GetScopeAsync(TestState.CallerFor(state.DistrictA));
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);

        var menu = ctx.Render<NavMenu>(p => p.Add(m => m.Scope, scope));
        menu.WaitForAssertion(() => Assert.Equal("1", menu.Find("[data-testid=queue-badge]").TextContent.Trim()));

        await database.Get<EserSecurity.Core.AccessRequests.AccessRequestService>().SubmitAsync(TestState.CallerFor(state.UserA1),
            new EserSecurity.Core.AccessRequests.NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "Duties."));

        menu.WaitForAssertion(() => Assert.Equal("2", menu.Find("[data-testid=queue-badge]").TextContent.Trim()));
    }

    [Fact]
    public async Task QueueBadge_ReadsTheCountForANewScope_NotOnEveryRenderOfTheMenu()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await TestState.AddPendingRequestAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3, database.Clock.GetUtcNow());
        var scopes = database.Get<ScopeService>();
        var scope = await scopes.GetScopeAsync(TestState.CallerFor(state.DistrictA));
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var menu = ctx.Render<NavMenu>(p => p.Add(m => m.Scope, scope));
        menu.WaitForAssertion(() => Assert.Equal("1", menu.Find("[data-testid=queue-badge]").TextContent.Trim()));

        // A request written behind the console's back (no change published), then the menu renders again on a navigation
        // with the same scope: the badge keeps the count it has, as no live change said it moved.
        await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, database.Clock.GetUtcNow());
        // Past the time identical reads share a result, so any count read from here on is fresh.
        database.Clock.Advance(new EserSecurity.Core.AccessRequests.QueueOptions().ShareReadsFor + TimeSpan.FromSeconds(1));
        menu.Render(p => p.Add(m => m.Scope, scope));
        Assert.Equal("1", menu.Find("[data-testid=queue-badge]").TextContent.Trim());

        // A new scope (the person was named or ended as coordinator) is read afresh.
        var renewed = await scopes.GetScopeAsync(TestState.CallerFor(state.DistrictA));
        Assert.NotSame(scope, renewed);
        menu.Render(p => p.Add(m => m.Scope, renewed));
        menu.WaitForAssertion(() => Assert.Equal("2", menu.Find("[data-testid=queue-badge]").TextContent.Trim()));
    }
}
