using EserSecurity.Tests.Support;
using EserSecurity.Core.LegacyMigration;
using EserSecurity.Core.Security;
using EserSecurity.DemoState;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EserSecurity.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ReadinessBrowserTests(ConsoleServer server)
{
    /// <summary>The demo district coordinator and their school system, from the database the console uses.</summary>
    private async Task<(Caller Coordinator, int SchoolSystemId)> DemoDistrictAsync()
    {
        var person = await TestPeople.FindAsync(server.Services, DemoPeople.DistrictCoordinator);
        var scope = await server.Services.GetRequiredService<ScopeService>().GetScopeAsync(person!.ToCaller());
        return (person.ToCaller(), scope.DistrictSchoolSystemIds.Single());
    }

    private static async Task<int> FigureAsync(IPage page, string testId) =>
        int.Parse(await page.GetByTestId(testId).InnerTextAsync(), System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task StateAdministrator_SeesTheBoard_DrillsIntoASchoolSystem_AndSeesWhoIsNotReady()
    {
        var admin = await server.SignInAsync(DemoPeople.StateAdmin);
        await admin.GetByRole(AriaRole.Link, new() { Name = "Go-live readiness" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Go-live readiness", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(admin.GetByTestId("countdown")).ToContainTextAsync("days to go-live");
        Assert.True(await FigureAsync(admin, "total-legacy") > 0);
        var rows = admin.GetByTestId("readiness-row");
        Assert.True(await rows.CountAsync() > 1);

        var (_, schoolSystemId) = await DemoDistrictAsync();
        await admin.Locator($"[data-testid=readiness-row] a[href='readiness/{schoolSystemId}']").ClickAsync();
        await admin.WaitForURLAsync($"**/readiness/{schoolSystemId}");
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "People who are not ready" })).ToBeVisibleAsync();
        await Assertions.Expect(admin.Locator("#not-ready [data-testid=reason]").First).ToBeVisibleAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Link, new() { Name = "Go-live readiness" }).First).ToBeVisibleAsync();
        await admin.Context.CloseAsync();
    }

    [Fact]
    public async Task DistrictCoordinatorsOpenReadinessPage_MovesWhenAGrantIsMadeElsewhere()
    {
        var (coordinator, schoolSystemId) = await DemoDistrictAsync();
        var page = await server.SignInAsync(DemoPeople.DistrictCoordinator);
        await page.GotoAsync($"/readiness/{schoolSystemId}");
        await ConsoleServer.WaitForCircuitAsync(page);
        await Assertions.Expect(page.GetByTestId("total-grant")).ToBeVisibleAsync();
        var before = await FigureAsync(page, "total-grant");

        // The second coordinator migrates one grantable suggestion in another browser.
        var plan = await server.Services.GetRequiredService<LegacyMigrationService>()
            .GetPlanAsync(coordinator, schoolSystemId, new MigrationQuery(MigratableOnly: true, PageSize: 500));
        var suggestion = plan.Suggestions.Items.First(s => s.State == MigrationSuggestionState.Grantable);
        var other = await server.SignInAsync(DemoPeople.DistrictCoordinator2);
        await other.GotoAsync($"/tas/migration/{schoolSystemId}?migratable=true");
        await ConsoleServer.WaitForCircuitAsync(other);
        await other.GetByRole(AriaRole.Checkbox, new() { Name = $"Select {suggestion.Name} for {suggestion.EserRoleName}", Exact = true }).First.CheckAsync();
        await other.GetByRole(AriaRole.Button, new() { Name = "Grant suggested roles (1)" }).ClickAsync();
        await Assertions.Expect(other.GetByTestId("bulk-summary")).ToContainTextAsync("1 granted");

        await Assertions.Expect(page.GetByTestId("total-grant")).ToHaveTextAsync((before + 1).ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        await page.Context.CloseAsync();
        await other.Context.CloseAsync();
    }

    [Fact]
    public async Task ReadinessAndMigrationPages_PassAxe()
    {
        var (_, schoolSystemId) = await DemoDistrictAsync();
        var admin = await server.SignInAsync(DemoPeople.StateAdmin);
        await admin.GotoAsync("/readiness");
        await ConsoleServer.WaitForCircuitAsync(admin);
        await Assertions.Expect(admin.GetByTestId("readiness-row").First).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(admin);
        await admin.GotoAsync($"/readiness/{schoolSystemId}");
        await ConsoleServer.WaitForCircuitAsync(admin);
        await Assertions.Expect(admin.Locator("#not-ready [data-testid=reason]").First).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(admin);
        await admin.GotoAsync("/tas/migration");
        await ConsoleServer.WaitForCircuitAsync(admin);
        await Accessibility.AssertNoSeriousViolationsAsync(admin);

        var coordinator = await server.SignInAsync(DemoPeople.DistrictCoordinator);
        await coordinator.GotoAsync("/tas/migration");
        await ConsoleServer.WaitForCircuitAsync(coordinator);
        await coordinator.WaitForURLAsync($"**/tas/migration/{schoolSystemId}");
        await Assertions.Expect(coordinator.GetByTestId("migration-state").First).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(coordinator);
        await admin.Context.CloseAsync();
        await coordinator.Context.CloseAsync();
    }
}
