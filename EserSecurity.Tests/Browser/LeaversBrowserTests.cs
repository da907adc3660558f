using System.Globalization;
using EserSecurity.Core.Data;
using EserSecurity.Core.Employment;
using EserSecurity.Core.Directories;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Roles;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.DemoState;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EserSecurity.Tests.Browser;

/// <summary>
/// Taking access away in a real browser: a coordinator ends a grant and the person's open page shows it; a leaver's open
/// page loses the console; the change-of-duties page, live and with axe.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LeaversBrowserTests(ConsoleServer server)
{
    /// <summary>The issue's bound is a second; a loaded shared machine gets some slack before the test calls it broken.</summary>
    private static readonly LocatorAssertionsToBeVisibleOptions Live = new() { Timeout = 15_000 };

    private sealed record Person(StaffMember Record, string LeaCode, int SchoolId, string SiteCode, string SchoolName, string OtherSiteCode);

    /// <summary>
    /// Plain staff of the demo district coordinator's school system with one school and a sign-on, from the console's
    /// database, skipping the first ones other browser tests use.
    /// </summary>
    private async Task<Person> StaffAsync(int skip)
    {
        var coordinator = await TestPeople.GetAsync(server.Services, DemoPeople.DistrictCoordinator);
        var lea = (await server.Services.GetRequiredService<ScopeService>().GetScopeAsync(coordinator.ToCaller())).DistrictSchoolSystemIds.First();
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync();
        var person = await db.StaffMembers.AsNoTracking().Include(s => s.Schools).ThenInclude(s => s.School)
            .Where(s => s.SchoolSystemId == lea && s.Username != null && s.EmploymentStatus == EmploymentStatus.Active && s.Schools.Count == 1
                && !db.CoordinatorAssignments.Any(a => a.StaffMemberId == s.Id) && !db.SupervisorAssignments.Any(a => a.StaffMemberId == s.Id)
                && !db.StateAdministrators.Any(a => a.StaffMemberId == s.Id))
            .OrderByDescending(s => s.Id).Skip(skip).FirstAsync();
        var school = person.Schools[0].School!;
        var other = await db.Schools.Where(s => s.SchoolSystemId == lea && s.Id != school.Id && s.ClosedOn == null).Select(s => s.SiteCode).FirstAsync();
        var code = await db.SchoolSystems.Where(s => s.Id == lea).Select(s => s.Code).SingleAsync();
        return new Person(person, code, school.Id, school.SiteCode, school.Name, other);
    }

    private async Task<string> GrantAtSchoolAsync(Person person)
    {
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync();
        var role = await db.EserRoles.Where(r => r.Level == RoleLevel.School && !r.GrantsIepForms).OrderBy(r => r.Id).FirstAsync();
        db.AccessGrants.Add(new AccessGrant
        {
            StaffMemberId = person.Record.Id, EserRoleId = role.Id, SchoolSystemId = person.Record.SchoolSystemId!.Value, SchoolId = person.SchoolId,
            Origin = GrantOrigin.Request, GrantedAt = DateTimeOffset.UtcNow.AddDays(-7),
        });
        await db.SaveChangesAsync();
        return role.Name;
    }

    [Fact]
    public async Task CoordinatorEndsAGrant_ThePersonsOpenPageShowsWhenAndWhy_WithoutAReload()
    {
        var person = await StaffAsync(0);
        var role = await GrantAtSchoolAsync(person);
        var own = await server.SignInAsync(person.Record.Username!);
        await Assertions.Expect(own.Locator("main")).ToContainTextAsync(role, new() { Timeout = Live.Timeout });
        var coordinator = await server.SignInAsync(DemoPeople.DistrictCoordinator);

        await coordinator.GotoAsync($"/people/{person.Record.Id}");
        await ConsoleServer.WaitForCircuitAsync(coordinator);
        var end = coordinator.GetByRole(AriaRole.Button, new() { Name = $"End grant {role} at {person.SchoolName}" });
        await end.ClickAsync();
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "End grant", Exact = true }).ClickAsync();
        await Assertions.Expect(coordinator.GetByText("Say why the grant ends: the person sees it under their access.")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(coordinator);
        await coordinator.GetByLabel("Why the grant ends (the person sees it)").FillAsync("Moved to the front office.");
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "End grant", Exact = true }).ClickAsync();

        await Assertions.Expect(end).ToHaveCountAsync(0);
        await Assertions.Expect(coordinator.GetByTestId("person-grants")).ToContainTextAsync("Ended by a coordinator — Moved to the front office.");
        var ended = own.GetByTestId("ended-grants");
        await Assertions.Expect(ended).ToContainTextAsync("Ended by a coordinator: Moved to the front office.", new() { Timeout = Live.Timeout });
        await Assertions.Expect(own.GetByTestId("no-grants")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(own);
        // The confirmation snackbar fades in and out; axe checks the page once it has gone, not its colours mid-fade.
        await Assertions.Expect(coordinator.Locator(".mud-snackbar")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await Accessibility.AssertNoSeriousViolationsAsync(coordinator);
        await coordinator.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "eser-person-access.png"), FullPage = true });
        await own.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "eser-home-ended-access.png"), FullPage = true });
        await own.Context.CloseAsync();
        await coordinator.Context.CloseAsync();
    }

    [Fact]
    public async Task CoordinatorEndsEmployment_TheLeaversOpenPageLosesTheConsole()
    {
        var person = await StaffAsync(1);
        await GrantAtSchoolAsync(person);
        var leaver = await server.SignInAsync(person.Record.Username!);
        var coordinator = await server.SignInAsync(DemoPeople.DistrictCoordinator);

        await coordinator.GotoAsync($"/people/{person.Record.Id}");
        await ConsoleServer.WaitForCircuitAsync(coordinator);
        await coordinator.GetByRole(AriaRole.Button, new() { Name = $"End employment of {person.Record.FullName}" }).ClickAsync();
        await Assertions.Expect(coordinator.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(coordinator);
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "End employment", Exact = true }).ClickAsync();

        await Assertions.Expect(leaver.GetByRole(AriaRole.Heading, new() { Name = "The console is closed to you", Level = 1 })).ToBeVisibleAsync(Live);
        await Assertions.Expect(leaver.GetByTestId("signed-in-as")).ToHaveCountAsync(0);
        await Accessibility.AssertNoSeriousViolationsAsync(leaver);
        await Assertions.Expect(coordinator.GetByRole(AriaRole.Button, new() { Name = $"End employment of {person.Record.FullName}" })).ToHaveCountAsync(0);
        await Assertions.Expect(coordinator.GetByTestId("person-grants")).ToContainTextAsync("Employment ended");
        await leaver.Context.CloseAsync();
        await coordinator.Context.CloseAsync();
    }

    [Fact]
    public async Task ScheduledEnd_IsShownOnThePersonPage_AndCallingItOffUpdatesThePageLive()
    {
        var person = await StaffAsync(4);
        await GrantAtSchoolAsync(person);
        var coordinator = await TestPeople.GetAsync(server.Services, DemoPeople.DistrictCoordinator);
        var endsOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(7);
        await server.Services.GetRequiredService<EmploymentService>().EndEmploymentAsync(coordinator.ToCaller(), person.Record.Id, endsOn);
        var page = await server.SignInAsync(DemoPeople.DistrictCoordinator);

        await page.GotoAsync($"/people/{person.Record.Id}");
        await ConsoleServer.WaitForCircuitAsync(page);
        var scheduled = page.GetByTestId("employment-ends");
        await Assertions.Expect(scheduled).ToContainTextAsync($"Employment ends on {endsOn.ToString("MMM d, yyyy", CultureInfo.InvariantCulture)}");
        await Assertions.Expect(page.GetByTestId("person-grants")).ToContainTextAsync("Active");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "eser-person-scheduled-end.png"), FullPage = true });

        await page.GetByRole(AriaRole.Button, new() { Name = $"Call off the end of employment of {person.Record.FullName}" }).ClickAsync();

        await Assertions.Expect(scheduled).ToHaveCountAsync(0, new() { Timeout = Live.Timeout });
        await Assertions.Expect(page.GetByTestId("directory-changes")).ToContainTextAsync("Scheduled end called off");
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ChangeOfDutiesPage_KeepsAndEndsInBulk_FollowsAnotherCoordinatorLive_AndPassesAxe()
    {
        var first = await StaffAsync(2);
        var second = await StaffAsync(3);
        var firstRole = await GrantAtSchoolAsync(first);
        var secondRole = await GrantAtSchoolAsync(second);
        var importer = (await TestPeople.GetAsync(server.Services, DemoPeople.DistrictCoordinator)).ToCaller();
        await server.Services.GetRequiredService<StaffDirectoryImportService>().CommitAsync(importer, DirectoryCsv.Staff()
            .Person(first.Record, first.LeaCode, first.OtherSiteCode).Person(second.Record, second.LeaCode, second.OtherSiteCode).ToStream());
        var coordinator = await server.SignInAsync(DemoPeople.DistrictCoordinator);
        var other = await server.SignInAsync(DemoPeople.DistrictCoordinator2);

        await coordinator.GetByRole(AriaRole.Link, new() { Name = "Change of duties" }).ClickAsync();
        await Assertions.Expect(coordinator.GetByRole(AriaRole.Heading, new() { Name = "Change of duties", Level = 1 })).ToBeVisibleAsync();
        var keepFirst = $"Keep {firstRole} of {first.Record.FullName} at {first.SchoolName}";
        await Assertions.Expect(coordinator.GetByRole(AriaRole.Button, new() { Name = keepFirst })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(coordinator);
        await coordinator.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "eser-change-of-duties.png"), FullPage = true });

        await other.GotoAsync("/change-of-duties");
        await ConsoleServer.WaitForCircuitAsync(other);
        await other.GetByRole(AriaRole.Button, new() { Name = keepFirst }).ClickAsync();

        await Assertions.Expect(coordinator.GetByRole(AriaRole.Button, new() { Name = keepFirst })).ToHaveCountAsync(0, new() { Timeout = Live.Timeout });
        await Accessibility.AssertNoSeriousViolationsAsync(coordinator);
        await coordinator.GetByRole(AriaRole.Checkbox, new() { Name = $"Select {secondRole} of {second.Record.FullName} at {second.SchoolName}" }).CheckAsync();
        await coordinator.GetByRole(AriaRole.Button, new() { NameRegex = new("^End selected") }).ClickAsync();
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "End roles" }).ClickAsync();

        await Assertions.Expect(coordinator.GetByText("1 ended")).ToBeVisibleAsync();
        await Assertions.Expect(coordinator.GetByRole(AriaRole.Button, new() { Name = $"Keep {secondRole} of {second.Record.FullName} at {second.SchoolName}" })).ToHaveCountAsync(0);
        await Accessibility.AssertNoSeriousViolationsAsync(coordinator);
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync();
        var grants = await db.AccessGrants.AsNoTracking().Where(g => g.StaffMemberId == first.Record.Id || g.StaffMemberId == second.Record.Id)
            .ToDictionaryAsync(g => g.StaffMemberId);
        Assert.True(grants[first.Record.Id].IsActive);
        Assert.Equal(GrantEndReason.DutiesChanged, grants[second.Record.Id].EndReason);
        await coordinator.Context.CloseAsync();
        await other.Context.CloseAsync();
    }
}
