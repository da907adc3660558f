using System.Text.RegularExpressions;
using EserSecurity.Core.Data;
using EserSecurity.Core.Identity;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.DemoState;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EserSecurity.Tests.Browser;

/// <summary>Sign-in bound to the person in a real browser: every open tab loses the console when its sign-in ends.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignOnBrowserTests(ConsoleServer server)
{
    /// <summary>A minute's re-check plus the reload into the sign-in page: the bound the issue sets.</summary>
    private static readonly LocatorAssertionsToBeVisibleOptions WithinAMinute = new() { Timeout = 70_000 };

    private static readonly Regex SignInPage = new("/dev/sign-in");

    /// <summary>A plain staff member of the demo district coordinator's school system, chosen from the console's database.</summary>
    private async Task<(string Username, string Name, int SchoolSystemId)> StaffOfDemoDistrictAsync(int skip)
    {
        var coordinator = await TestPeople.GetAsync(server.Services, DemoPeople.DistrictCoordinator);
        var lea = (await server.Services.GetRequiredService<ScopeService>().GetScopeAsync(coordinator.ToCaller())).DistrictSchoolSystemIds.First();
        var factory = server.Services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var person = await db.StaffMembers.AsNoTracking()
            .Where(s => s.SchoolSystemId == lea && s.Username != null && s.EmploymentStatus == EmploymentStatus.Active
                && !db.CoordinatorAssignments.Any(a => a.StaffMemberId == s.Id) && !db.StateAdministrators.Any(a => a.StaffMemberId == s.Id))
            .OrderBy(s => s.Id).Skip(skip)
            .Select(s => new { s.Username, Name = s.FirstName + " " + s.LastName })
            .FirstAsync();
        return (person.Username!, person.Name, lea);
    }

    private static async Task<IPage> SecondTabAsync(IPage first)
    {
        var second = await first.Context.NewPageAsync();
        await second.GotoAsync("/");
        await ConsoleServer.WaitForCircuitAsync(second);
        await Assertions.Expect(second.GetByTestId("signed-in-as")).ToBeVisibleAsync();
        return second;
    }

    [Fact]
    public async Task SignOutInOneTab_TheOtherTabLosesTheConsole_WithoutAReload()
    {
        var (username, _, _) = await StaffOfDemoDistrictAsync(0);
        var first = await server.SignInAsync(username);
        var second = await SecondTabAsync(first);

        await first.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await first.WaitForURLAsync(SignInPage);

        await Assertions.Expect(second.GetByRole(AriaRole.Heading, new() { Name = "You are signed out", Level = 1 })).ToBeVisibleAsync(WithinAMinute);
        await Assertions.Expect(second.GetByTestId("signed-in-as")).ToHaveCountAsync(0);
        await Accessibility.AssertNoSeriousViolationsAsync(second);
        await second.GetByRole(AriaRole.Link, new() { Name = "Sign in again" }).ClickAsync();
        await second.WaitForURLAsync(SignInPage);
        await first.Context.CloseAsync();
    }

    [Fact]
    public async Task CoordinatorUnlinksAnAccount_BothOfItsTabsLoseTheConsole_AndTheLinkRequestsPagePassesAxe()
    {
        var (username, name, _) = await StaffOfDemoDistrictAsync(1);
        var first = await server.SignInAsync(username);
        var second = await SecondTabAsync(first);
        var coordinator = await server.SignInAsync(DemoPeople.DistrictCoordinator);

        await coordinator.GetByRole(AriaRole.Link, new() { NameRegex = new("^Link requests") }).ClickAsync();
        await Assertions.Expect(coordinator.GetByRole(AriaRole.Heading, new() { Name = "Link requests", Level = 1 })).ToBeVisibleAsync();
        await coordinator.GetByRole(AriaRole.Tab, new() { Name = "Linked accounts" }).ClickAsync();
        await coordinator.GetByLabel("Search by name or Staff ID").FillAsync(name.Split(' ')[^1]);
        // The search reloads the grid after its debounce: click once the filtered rows are shown.
        await Assertions.Expect(coordinator.GetByText("1 linked account", new() { Exact = true })).ToBeVisibleAsync();
        await coordinator.GetByRole(AriaRole.Button, new() { Name = $"Unlink the account of {name}" }).ClickAsync();
        await Assertions.Expect(coordinator.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(coordinator);
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Unlink", Exact = true }).ClickAsync();

        var signIn = new LocatorAssertionsToBeVisibleOptions { Timeout = WithinAMinute.Timeout };
        await Assertions.Expect(first.GetByRole(AriaRole.Heading, new() { Name = "You are signed out", Level = 1 })).ToBeVisibleAsync(signIn);
        await Assertions.Expect(second.GetByRole(AriaRole.Heading, new() { Name = "You are signed out", Level = 1 })).ToBeVisibleAsync(signIn);
        await Assertions.Expect(coordinator.GetByRole(AriaRole.Button, new() { Name = $"Unlink the account of {name}" })).ToHaveCountAsync(0);
        await Accessibility.FinishAnimationsAsync(coordinator);
        await Accessibility.AssertNoSeriousViolationsAsync(coordinator);
        await first.Context.CloseAsync();
        await coordinator.Context.CloseAsync();
    }

    [Fact]
    public async Task Coordinator_RefusesAWaitingLinkRequestWithAReason()
    {
        var (_, _, lea) = await StaffOfDemoDistrictAsync(2);
        var links = server.Services.GetRequiredService<SignOnLinks>();
        var subject = "browser-" + Guid.NewGuid().ToString("N");
        var outcome = await links.SignInAsync(new SignOnAccount(TestPeople.UnlinkedIssuer, subject, "Robin Requester", null, null));
        await server.Services.GetRequiredService<LinkRequestService>().FileAsync(
            new SignedInAccount(TestPeople.UnlinkedIssuer, subject, outcome.SessionId!.Value), new LinkRequestForm("12345678", lea, null));
        var coordinator = await server.SignInAsync(DemoPeople.DistrictCoordinator);

        await coordinator.GotoAsync("/link-requests");
        await ConsoleServer.WaitForCircuitAsync(coordinator);
        var refuse = coordinator.GetByRole(AriaRole.Button, new() { Name = "Refuse link request of Robin Requester (Staff ID 12345678)" });
        await Assertions.Expect(coordinator.GetByTestId("no-directory-record").First).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(coordinator);
        await coordinator.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "eser-link-requests.png"), FullPage = true });
        await refuse.ClickAsync();
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Refuse request" }).ClickAsync();
        await Assertions.Expect(coordinator.GetByText("Give a reason: the person reads it when they next sign in.")).ToBeVisibleAsync();
        await coordinator.GetByLabel("Reason (the person sees it)").FillAsync("No such Staff ID in our school system.");
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Refuse request" }).ClickAsync();

        await Assertions.Expect(refuse).ToHaveCountAsync(0);
        var own = await server.Services.GetRequiredService<LinkRequestService>().GetOwnAsync(new SignedInAccount(TestPeople.UnlinkedIssuer, subject, outcome.SessionId!.Value));
        Assert.Equal("No such Staff ID in our school system.", own.UnseenRefusal!.RefusalReason);
        await coordinator.Context.CloseAsync();
    }
}
