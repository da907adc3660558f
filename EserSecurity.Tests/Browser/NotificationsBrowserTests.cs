using System.Text.RegularExpressions;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Data;
using EserSecurity.Core.Roles;
using EserSecurity.DemoState;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EserSecurity.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class NotificationsBrowserTests(ConsoleServer server)
{
    /// <summary>A school-system role the demo staff user neither holds nor has asked for (other tests ask for the Read-Only Viewer).</summary>
    private async Task<(string Role, string StaffId)> RoleToRequestAsync()
    {
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync();
        var user = await db.StaffMembers.Where(s => s.Username == DemoPeople.StaffUser).Select(s => new { s.Id, s.StaffId }).SingleAsync();
        var role = await db.EserRoles
            .Where(r => !r.IsRetired && !r.GrantsIepForms && r.Level == RoleLevel.SchoolSystem && r.Name != "Read-Only Viewer"
                && !db.AccessGrants.Any(g => g.StaffMemberId == user.Id && g.EserRoleId == r.Id && g.EndedAt == null)
                && !db.AccessRequests.Any(q => q.RequesterId == user.Id && q.EserRoleId == r.Id
                    && (q.Status == AccessRequestStatus.PendingCoordinator || q.Status == AccessRequestStatus.PendingSupervisor)))
            .OrderBy(r => r.Name).Select(r => r.Name).FirstAsync();
        return (role, user.StaffId);
    }

    private static async Task<int> UnreadAsync(IPage page)
    {
        var label = await page.GetByRole(AriaRole.Button, new() { NameRegex = new("^Notifications, ") }).GetAttributeAsync("aria-label");
        var match = Regex.Match(label!, @"^Notifications, (\d+|none) unread$");
        return match.Groups[1].Value == "none" ? 0 : int.Parse(match.Groups[1].Value);
    }

    [Fact]
    public async Task TheCoordinatorsBell_CountsUpWhenARequestArrives_WithoutReload_AndTheNoticeLeadsToTheRequest_AndThePagesPassAxe()
    {
        var (role, staffId) = await RoleToRequestAsync();
        var coordinator = await server.SignInAsync(DemoPeople.DistrictCoordinator);
        var before = await UnreadAsync(coordinator);

        var user = await server.SignInAsync(DemoPeople.StaffUser);
        await user.GotoAsync("/requests/new");
        await ConsoleServer.WaitForCircuitAsync(user);
        await user.GetByLabel("Role", new() { Exact = true }).ClickAsync();
        await user.GetByRole(AriaRole.Option, new() { Name = role }).First.ClickAsync();
        await user.GetByLabel("Why your duties need this role").FillAsync("I prepare the school system's reports for the board.");
        await user.GetByRole(AriaRole.Button, new() { Name = "Submit request" }).ClickAsync();
        await Assertions.Expect(user.GetByTestId("request-submitted")).ToBeVisibleAsync();

        var bell = coordinator.GetByRole(AriaRole.Button, new() { Name = $"Notifications, {before + 1} unread" });
        await Assertions.Expect(bell).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(coordinator);
        await bell.ClickAsync();
        var notice = coordinator.GetByRole(AriaRole.Menuitem, new() { NameRegex = new($"^Unread: .* asks for {Regex.Escape(role)} at ") });
        await Assertions.Expect(notice).ToBeVisibleAsync();
        // The menu fades in; axe measures its colours once it is fully shown, not mid-fade.
        await coordinator.WaitForFunctionAsync("() => [...document.querySelectorAll('.mud-popover-open')].every(e => getComputedStyle(e).opacity === '1')");
        await Accessibility.AssertNoSeriousViolationsAsync(coordinator);
        await coordinator.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "notification-bell.png") });
        await notice.ClickAsync();
        await Assertions.Expect(coordinator).ToHaveURLAsync(new Regex($"/queue\\?search={staffId}$"));
        await Assertions.Expect(coordinator.GetByRole(AriaRole.Button, new() { Name = $"Notifications, {(before == 0 ? "none" : before.ToString())} unread" })).ToBeVisibleAsync();

        await coordinator.GotoAsync("/notifications");
        await ConsoleServer.WaitForCircuitAsync(coordinator);
        await Assertions.Expect(coordinator.GetByRole(AriaRole.Link, new() { NameRegex = new($"asks for {Regex.Escape(role)} at ") }).First).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(coordinator);
        await coordinator.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "notifications.png"), FullPage = true });
        await coordinator.Context.CloseAsync();
        await user.Context.CloseAsync();
    }
}
