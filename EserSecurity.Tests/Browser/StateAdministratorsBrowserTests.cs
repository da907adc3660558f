using EserSecurity.Core.Data;
using EserSecurity.Core.Staff;
using EserSecurity.DemoState;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EserSecurity.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class StateAdministratorsBrowserTests(ConsoleServer server)
{
    private const string PagePath = "/administration/state-administrators";

    /// <summary>An active staff member who can sign in, administers nothing and is none of the README's demo people.</summary>
    private async Task<(string Username, string Name, string StaffId)> ChoosePersonAsync()
    {
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync();
        var assigned = db.StateAdministrators.Select(a => a.StaffMemberId)
            .Concat(db.CoordinatorAssignments.Select(a => a.StaffMemberId)).Concat(db.SupervisorAssignments.Select(a => a.StaffMemberId));
        var person = await db.StaffMembers
            .Where(s => s.Username != null && s.EmploymentStatus == EmploymentStatus.Active && !assigned.Contains(s.Id) && !DemoPeople.All.Contains(s.Username!))
            .OrderByDescending(s => s.Id).Select(s => new { s.Username, Name = s.FirstName + " " + s.LastName, s.StaffId }).FirstAsync();
        return (person.Username!, person.Name, person.StaffId);
    }

    [Fact]
    public async Task StateAdministrator_AddsAndEndsOne_WhosePagesAndNavigationFollowLive_AndThePagePassesAxe()
    {
        var (username, name, staffId) = await ChoosePersonAsync();
        var person = await server.SignInAsync(username);
        await person.GotoAsync(PagePath);
        await ConsoleServer.WaitForCircuitAsync(person);
        await Assertions.Expect(person.GetByTestId("administrators-denied")).ToHaveTextAsync("Only a state administrator may see the state administrators.");
        var navLink = person.GetByRole(AriaRole.Link, new() { Name = "State administrators" });
        await Assertions.Expect(navLink).ToHaveCountAsync(0);

        var admin = await server.SignInAsync(DemoPeople.StateAdmin);
        await admin.GotoAsync(PagePath);
        await ConsoleServer.WaitForCircuitAsync(admin);
        var active = admin.GetByTestId("active-administrators");
        await Assertions.Expect(active).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(admin);

        await Menus.SearchAndChooseAsync(admin.GetByLabel("Person to add"), staffId,
            admin.GetByRole(AriaRole.Option, new() { NameRegex = new($"^{System.Text.RegularExpressions.Regex.Escape(name)} \\({staffId}\\)") }));
        await Assertions.Expect(admin.GetByLabel("Person to add")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex($"^{System.Text.RegularExpressions.Regex.Escape(name)} \\({staffId}\\)"));
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add state administrator" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("administrators-message")).ToHaveTextAsync($"{name} is now a state administrator.");
        await Assertions.Expect(active).ToContainTextAsync(name);

        // The person's open page and navigation follow without a reload.
        await Assertions.Expect(person.GetByTestId("active-administrators")).ToContainTextAsync(name);
        await Assertions.Expect(navLink).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(person);

        await admin.GetByRole(AriaRole.Button, new() { Name = $"End {name} as state administrator" }).ClickAsync();
        var dialog = admin.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Why the assignment ends").FillAsync("Added by the browser test.");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "End assignment" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("administrators-message")).ToHaveTextAsync($"{name} is no longer a state administrator.");
        await Assertions.Expect(admin.GetByTestId("ended-administrators")).ToContainTextAsync("Added by the browser test.");
        await Assertions.Expect(active).Not.ToContainTextAsync(name);
        await Accessibility.AssertNoSeriousViolationsAsync(admin);
        await admin.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "state-administrators.png"), FullPage = true });

        await Assertions.Expect(person.GetByTestId("administrators-denied")).ToBeVisibleAsync();
        await Assertions.Expect(navLink).ToHaveCountAsync(0);
        await person.Context.CloseAsync();
        await admin.Context.CloseAsync();
    }
}
