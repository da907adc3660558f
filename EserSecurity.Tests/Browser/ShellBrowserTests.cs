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
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Audit log" })).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SignInPage_ListsTheDemoPeople_AndPassesAxe()
    {
        var context = await server.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");

        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/dev/sign-in"));
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
    public async Task StateAdmin_SeesStatewideFigures_AndTheAuditLog()
    {
        var page = await server.SignInAsync(DemoPeople.StateAdmin);

        await Assertions.Expect(page.GetByTestId("state-school-systems")).Not.ToHaveTextAsync("0");
        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit log" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify the chain" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("verification")).ToContainTextAsync("intact");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SignedOutVisitor_IsSentToSignIn_AndCanSignOutAgain()
    {
        var page = await server.SignInAsync(DemoPeople.StaffUser);
        await Assertions.Expect(page.GetByTestId("assurance-status")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/dev/sign-in"));
        await page.GotoAsync("/school-systems");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/dev/sign-in\\?returnUrl=%2Fschool-systems"));
        await page.Context.CloseAsync();
    }
}
