using System.Text.RegularExpressions;
using EserSecurity.Tests.Support;
using EserSecurity.Core.Home;
using EserSecurity.DemoState;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EserSecurity.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ShellBrowserTests(ConsoleServer server)
{
    [Fact]
    public async Task DistrictCoordinator_SignsIn_AndSeesTheirHomeFigures()
    {
        var page = await server.SignInAsync(DemoPeople.DistrictCoordinator);

        var person = await TestPeople.FindAsync(server.Services, DemoPeople.DistrictCoordinator);
        var expected = await server.Services.GetRequiredService<HomeService>().GetSummaryAsync(person!.ToCaller());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(person.DisplayName);
        await Assertions.Expect(page.GetByTestId("coordinator-pending")).ToHaveTextAsync(expected.Coordinator!.PendingRequests.ToString("N0"));
        await Assertions.Expect(page.GetByTestId("coordinator-schools")).ToHaveTextAsync(expected.Coordinator.SchoolsCovered.ToString("N0"));
        Assert.True(expected.Coordinator.PendingRequests > 0, "The demo district coordinator should have requests waiting.");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "School systems" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Audit log" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SignInPage_ListsTheDemoPeople_AndPassesAxe()
    {
        var context = await server.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");

        await page.WaitForURLAsync(new Regex("/dev/sign-in"));
        foreach (var username in DemoPeople.All)
        {
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = ConsoleServer.SignInButtonName(username) })).ToBeVisibleAsync();
        }
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await context.CloseAsync();
    }

    [Fact]
    public async Task HomePage_PassesAxe_ForEachDemoRole()
    {
        foreach (var username in new[] { DemoPeople.StateAdmin, DemoPeople.DistrictCoordinator, DemoPeople.StaffUser })
        {
            var page = await server.SignInAsync(username);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Welcome");
            await Accessibility.AssertNoSeriousViolationsAsync(page);
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task StateAdmin_SeesStatewideFigures_AndTheAuditLog_AndFiltersIt()
    {
        var page = await server.SignInAsync(DemoPeople.StateAdmin);
        var admin = (await TestPeople.FindAsync(server.Services, DemoPeople.StateAdmin))!;

        await Assertions.Expect(page.GetByTestId("state-school-systems")).Not.ToHaveTextAsync("0");
        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit log" })).ToBeVisibleAsync();
        await ConsoleServer.WaitForCircuitAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify the chain" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("verification")).ToContainTextAsync("intact");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // Signing in linked the administrator's account: the event is theirs, of today, and opens their page.
        await Menus.ChooseAsync(page.GetByRole(AriaRole.Combobox, new() { Name = "Show" }), "Sign-on links");
        await page.WaitForURLAsync(new Regex("/audit\\?show=signon$"));
        await Menus.SearchAndChooseAsync(page.GetByLabel("Person", new() { Exact = true }), admin.StaffId,
            page.GetByRole(AriaRole.Option, new() { NameRegex = new($"^{Regex.Escape(admin.DisplayName)} \\(") }));
        await page.WaitForURLAsync(new Regex($"person={admin.StaffMemberId}"));
        await page.GetByRole(AriaRole.Textbox, new() { Name = "From (UTC day)" }).FillAsync(DateTime.UtcNow.ToString("MMM d, yyyy", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Textbox, new() { Name = "From (UTC day)" }).PressAsync("Tab");
        await page.WaitForURLAsync(new Regex($"from={DateTime.UtcNow:yyyy-MM-dd}"));

        var rows = page.Locator("[aria-label='Audit events'] tbody.mud-table-body tr");
        await Assertions.Expect(rows.Filter(new() { HasText = "SignOn.Linked" }).First).ToBeVisibleAsync();
        await Assertions.Expect(rows.Filter(new() { HasNotText = "SignOn." })).ToHaveCountAsync(0);
        await Assertions.Expect(rows.First.GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", $"people/{admin.StaffMemberId}");
        await Assertions.Expect(page.GetByTestId("audit-csv")).ToHaveAttributeAsync("href",
            $"documents/files/audit-log?person={admin.StaffMemberId}&show=signon&from={DateTime.UtcNow:yyyy-MM-dd}");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "eser-audit-filters.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task StaffMemberOpeningTheAuditLog_IsRefused_AndTheStateAdministratorFindsItAmongTheSecurityEvents()
    {
        var staff = await server.SignInAsync(DemoPeople.StaffUser);
        await staff.GotoAsync("/audit");
        await Assertions.Expect(staff.Locator("main")).ToContainTextAsync("The audit log is for state administrators, district security coordinators and supervisors.");
        await Accessibility.AssertNoSeriousViolationsAsync(staff);
        var refused = (await TestPeople.FindAsync(server.Services, DemoPeople.StaffUser))!.DisplayName;

        var admin = await server.SignInAsync(DemoPeople.StateAdmin);
        await admin.GotoAsync("/audit");
        await ConsoleServer.WaitForCircuitAsync(admin);
        await Menus.ChooseAsync(admin.GetByRole(AriaRole.Combobox, new() { Name = "Show" }), "Refusals and personal-data downloads");

        await admin.WaitForURLAsync(new Regex("/audit\\?show=security$"));
        var rows = admin.Locator("tbody.mud-table-body tr");
        await Assertions.Expect(rows.Filter(new() { HasText = "Security.Refused" }).Filter(new() { HasText = refused }))
            .ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(rows.Filter(new() { HasNotText = "Security." })).ToHaveCountAsync(0);
        await Accessibility.AssertNoSeriousViolationsAsync(admin);
        await admin.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "eser-audit-security-events.png"), FullPage = true });
        await staff.Context.CloseAsync();
        await admin.Context.CloseAsync();
    }

    [Fact]
    public async Task SignedOutVisitor_IsSentToSignIn_AndCanSignOutAgain()
    {
        var page = await server.SignInAsync(DemoPeople.StaffUser);
        await Assertions.Expect(page.GetByTestId("assurance-status")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/dev/sign-in"));
        await page.GotoAsync("/school-systems");
        await page.WaitForURLAsync(new Regex("/dev/sign-in\\?returnUrl=%2Fschool-systems"));
        await page.Context.CloseAsync();
    }
}
