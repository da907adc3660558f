using System.Text.RegularExpressions;
using EserSecurity.Core.Data;
using EserSecurity.DemoState;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EserSecurity.Tests.Browser;

/// <summary>The deputies page and the list of access ending soon, in a real console and Chromium, with axe after each step.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DeputiesBrowserTests(ConsoleServer server)
{
    private async Task<(string Name, string LastName)> NameOfAsync(string username)
    {
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync();
        return await db.StaffMembers.Where(s => s.Username == username).Select(s => new ValueTuple<string, string>(s.FirstName + " " + s.LastName, s.LastName)).SingleAsync();
    }

    [Fact]
    public async Task TheDistrictCoordinator_SeesTheDemoDeputy_NamesTheSupervisorAsTheirOwn_AndSeesAccessEndingSoon_AndThePagesPassAxe()
    {
        var supervisor = await NameOfAsync(DemoPeople.SpedSupervisor);
        var local = await NameOfAsync(DemoPeople.LocalCoordinator);
        var coordinator = await server.SignInAsync(DemoPeople.DistrictCoordinator);
        await coordinator.GetByRole(AriaRole.Link, new() { Name = "Deputies" }).ClickAsync();
        await Assertions.Expect(coordinator).ToHaveURLAsync(new Regex("/deputies$"));
        await ConsoleServer.WaitForCircuitAsync(coordinator);
        var grid = coordinator.Locator("[aria-label='Current and coming deputies']");
        await Assertions.Expect(grid.GetByRole(AriaRole.Row).Filter(new() { HasText = local.Name })).ToContainTextAsync("In force today");
        await Accessibility.AssertNoSeriousViolationsAsync(coordinator);

        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Name a deputy" }).ClickAsync();
        var dialog = coordinator.GetByRole(AriaRole.Dialog);
        await Menus.SearchAndChooseAsync(dialog.GetByLabel("Deputy", new() { Exact = true }), supervisor.LastName,
            coordinator.GetByRole(AriaRole.Option, new() { NameRegex = new($"^{Regex.Escape(supervisor.Name)} \\(") }).First);
        var first = DateTime.UtcNow.Date.AddDays(20);
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "First day away" }).FillAsync(first.ToString("MMM d, yyyy"));
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "First day away" }).PressAsync("Tab");
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Last day away" }).FillAsync(first.AddDays(2).ToString("MMM d, yyyy"));
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Last day away" }).PressAsync("Tab");
        await Accessibility.AssertNoSeriousViolationsAsync(coordinator);
        await coordinator.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "deputies-dialog.png") });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Name deputy" }).ClickAsync();

        var named = grid.GetByRole(AriaRole.Row).Filter(new() { HasText = supervisor.Name });
        await Assertions.Expect(named).ToContainTextAsync("Approved, not yet begun");
        await Assertions.Expect(named).ToContainTextAsync($"{first:MMM d, yyyy} – {first.AddDays(2):MMM d, yyyy}");
        await Assertions.Expect(coordinator.Locator(".mud-snackbar")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await Accessibility.AssertNoSeriousViolationsAsync(coordinator);
        await coordinator.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "deputies.png"), FullPage = true });

        await coordinator.GetByRole(AriaRole.Link, new() { Name = "Access ending soon" }).ClickAsync();
        await ConsoleServer.WaitForCircuitAsync(coordinator);
        await Assertions.Expect(coordinator.GetByTestId("grid-total")).ToHaveTextAsync(new Regex(@"^\d+ grants?$"));
        await Assertions.Expect(coordinator.Locator("[aria-label='Grants that end soon']").GetByRole(AriaRole.Row).Nth(1)).ToContainTextAsync("days left");
        await Accessibility.AssertNoSeriousViolationsAsync(coordinator);
        await coordinator.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "access-ending.png"), FullPage = true });
        await coordinator.Context.CloseAsync();
    }
}
