using Bunit;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Dashboard.Home;

public sealed class HomeTests
{
    [Fact]
    public async Task DistrictCoordinator_SeesPendingAndStaleRequestsOfTheirScope()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var now = database.Clock.GetUtcNow();
        await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, now.AddDays(-30));
        await TestState.AddPendingRequestAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3, now.AddDays(-1));
        await TestState.AddPendingRequestAsync(database, state.UserB1, state.SchoolRole, state.LeaB, state.B1, now.AddDays(-1));
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);

        var home = ctx.Render<EserSecurity.Dashboard.Components.Pages.Home.Home>();

        home.WaitForAssertion(() => Assert.Equal("2", home.Find("[data-testid=coordinator-pending]").TextContent.Trim()));
        Assert.Equal("1", home.Find("[data-testid=coordinator-stale]").TextContent.Trim());
        Assert.Equal("3", home.Find("[data-testid=coordinator-schools]").TextContent.Trim());
        Assert.Empty(home.FindAll("[data-testid=state-school-systems]"));
    }

    [Fact]
    public async Task StaffUserWithoutRole_IsToldWhatToDo_AndSeesAssuranceOverdue()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);

        var home = ctx.Render<EserSecurity.Dashboard.Components.Pages.Home.Home>();

        home.WaitForAssertion(() => Assert.Contains("no eSER role", home.Find("[data-testid=no-grants]").TextContent));
        // November is past the 30-day grace period after July 1.
        Assert.Contains("Overdue", home.Find("[data-testid=assurance-status]").TextContent);
        Assert.Empty(home.FindAll("[data-testid=coordinator-pending]"));
    }

    [Fact]
    public async Task StateAdministrator_SeesStatewideCountsAndTheGap()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using (var db = await database.OpenAsync())
        {
            db.SchoolSystems.Add(new EserSecurity.Core.SchoolSystems.SchoolSystem { Code = "303", Name = "Charlie Charter", Kind = EserSecurity.Core.SchoolSystems.SchoolSystemKind.Charter });
            await db.SaveChangesAsync();
        }
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);

        var home = ctx.Render<EserSecurity.Dashboard.Components.Pages.Home.Home>();

        home.WaitForAssertion(() => Assert.Equal("3", home.Find("[data-testid=state-school-systems]").TextContent.Trim()));
        Assert.Equal("4", home.Find("[data-testid=state-schools]").TextContent.Trim());
        Assert.Equal("1", home.Find("[data-testid=state-gaps]").TextContent.Trim());
        Assert.Contains("without a district coordinator", home.Markup);
    }

    [Fact]
    public async Task DistrictCoordinator_SeesTheAssuranceCountsOfTheirSchoolSystem()
    {
        var (database, state) = await EserSecurity.Tests.Core.Assurance.AssuranceTestSupport.ArrangeAsync();
        await using var _ = database;
        var version = await EserSecurity.Tests.Core.Assurance.AssuranceTestSupport.PublishAsync(database, state);
        await EserSecurity.Tests.Core.Assurance.AssuranceTestSupport.SignAsync(database, state.UserA1, version);
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);

        var home = ctx.Render<EserSecurity.Dashboard.Components.Pages.Home.Home>();

        // School system A has five active staff: the district and local coordinators, the supervisor and two users.
        home.WaitForAssertion(() => Assert.Equal("1", home.Find("[data-testid=assurance-signed]").TextContent.Trim()));
        Assert.Equal("4", home.Find("[data-testid=assurance-overdue]").TextContent.Trim());
        Assert.Equal("0", home.Find("[data-testid=assurance-due]").TextContent.Trim());
    }

    [Fact]
    public async Task StaffUser_IsLedToTheSigningPage()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);

        var home = ctx.Render<EserSecurity.Dashboard.Components.Pages.Home.Home>();

        home.WaitForAssertion(() => Assert.Equal("assurance/sign", home.Find("[data-testid=assurance-link]").GetAttribute("href")));
        Assert.Equal("Sign confidentiality assurance", home.Find("[data-testid=assurance-link]").TextContent.Trim());
        Assert.Empty(home.FindAll("[data-testid=assurance-signed]"));
    }

    [Fact]
    public async Task ACoordinatorsApprovalOfAnOpenRequest_MovesItToTheRolesWithoutAReload()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var id = await database.Get<AccessRequestService>().SubmitAsync(TestState.CallerFor(state.UserA1),
            new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "My duties need it."));
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);
        var home = ctx.Render<EserSecurity.Dashboard.Components.Pages.Home.Home>();
        home.WaitForAssertion(() => Assert.Contains(state.SchoolRole.Name, home.Find("[aria-label='Your open requests']").TextContent));
        Assert.Empty(home.FindAll("[aria-label='Your roles']"));

        await database.Get<AccessRequestService>().DecideAsync(TestState.CallerFor(state.LocalA), id, Decision.Approve, null);

        home.WaitForAssertion(() => Assert.Contains(state.SchoolRole.Name, home.Find("[aria-label='Your roles']").TextContent));
        Assert.Empty(home.FindAll("[aria-label='Your open requests']"));
    }
}
