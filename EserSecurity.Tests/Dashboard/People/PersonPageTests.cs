using Bunit;
using EserSecurity.Core.Directories;
using EserSecurity.Core.Employment;
using EserSecurity.Dashboard.Components.Pages.People;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Dashboard.People;

public sealed class PersonPageTests
{
    private static async Task ImportAsync(TestDatabase database, TestState state, DirectoryCsv file) =>
        Assert.True((await database.Get<StaffDirectoryImportService>().CommitAsync(TestState.CallerFor(state.StateAdmin), file.ToStream())).Changed);

    [Fact]
    public async Task Person_SeesTheirOwnDirectoryRecord()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);

        var page = ctx.Render<PersonPage>(p => p.Add(x => x.Id, state.UserA1.Id));

        page.WaitForAssertion(() => Assert.Contains("user alpha1", page.Find("h1").TextContent));
        var facts = page.Find("[data-testid=person-facts]").TextContent;
        Assert.Contains(state.UserA1.StaffId, facts);
        Assert.Contains("user.alpha1@example.org", facts);
        Assert.Contains("Teacher", facts);
        Assert.Contains("101 · Alpha Parish Schools", facts);
        Assert.Contains("101001 · Alpha Elementary", facts);
        Assert.Equal("Active", page.Find("[data-testid=employment]").TextContent.Trim());
        Assert.Contains("No employment or school changes", page.Find("[data-testid=no-directory-changes]").TextContent);
    }

    [Fact]
    public async Task Coordinator_SeesDirectoryChangesNewestFirst_WithTheirEffectiveDates()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await ImportAsync(database, state, DirectoryCsv.Staff().Person(state.UserA3, "101", "101002"));
        database.Clock.Advance(TimeSpan.FromDays(5));
        await ImportAsync(database, state, DirectoryCsv.Staff().Person(state.UserA3, "101", "101002", "Ended", "2026-12-02"));
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);

        var page = ctx.Render<PersonPage>(p => p.Add(x => x.Id, state.UserA3.Id));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=directory-changes] tbody tr").Count));
        var rows = page.FindAll("[data-testid=directory-changes] tbody tr").Select(r => r.TextContent).ToList();
        Assert.Contains("Dec 2, 2026", rows[0]);
        Assert.Contains("Employment status", rows[0]);
        Assert.Contains("Ended", rows[0]);
        Assert.Contains("Nov 28, 2026", rows[1]);
        Assert.Contains("Schools", rows[1]);
        Assert.Contains("101002", rows[1]);
        Assert.Equal("Ended since Dec 2, 2026", page.Find("[data-testid=employment]").TextContent.Trim());
    }

    [Fact]
    public async Task CoordinatorOfAnotherSchoolSystem_GetsTheScopeRefusal()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.DistrictB.Username);

        var page = ctx.Render<PersonPage>(p => p.Add(x => x.Id, state.UserA1.Id));

        page.WaitForAssertion(() => Assert.Contains("does not exist or is outside your scope", page.Find("[data-testid=person-denied]").TextContent));
        Assert.DoesNotContain(state.UserA1.StaffId, page.Markup);
    }

    [Fact]
    public async Task ByStaffId_ShowsTheSameRecord_AndAnUnknownStaffIdTheSameRefusal()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);

        var page = ctx.Render<PersonPage>(p => p.Add(x => x.StaffId, state.UserA1.StaffId));
        page.WaitForAssertion(() => Assert.Contains("user alpha1", page.Find("h1").TextContent));

        var unknown = ctx.Render<PersonPage>(p => p.Add(x => x.StaffId, "123456789"));
        unknown.WaitForAssertion(() => Assert.Contains("does not exist or is outside your scope", unknown.Find("[data-testid=person-denied]").TextContent));
    }

    [Fact]
    public async Task OpenPage_ShowsANewDirectoryChangeLive()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var page = ctx.Render<PersonPage>(p => p.Add(x => x.Id, state.UserA3.Id));
        page.WaitForAssertion(() => page.Find("[data-testid=no-directory-changes]"));

        await ImportAsync(database, state, DirectoryCsv.Staff().Person(state.UserA3, "101", "101002"));

        page.WaitForAssertion(() => Assert.Contains("101002", page.Find("[data-testid=directory-changes]").TextContent));
        Assert.Contains("101002 · Alpha Middle", page.Find("[data-testid=person-facts]").TextContent);
    }

    [Fact]
    public async Task ScheduledEnd_IsShownOnThePerson_AndCallingItOffClearsItLive()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await database.Get<EmploymentService>().EndEmploymentAsync(TestState.CallerFor(state.StateAdmin), state.UserA1.Id, new DateOnly(2026, 12, 5));
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);

        var page = ctx.Render<PersonPage>(p => p.Add(x => x.Id, state.UserA1.Id));

        page.WaitForAssertion(() => Assert.Equal("Active; employment ends on Dec 5, 2026", page.Find("[data-testid=employment]").TextContent.Trim()));
        page.WaitForAssertion(() => Assert.Contains("Employment ends on Dec 5, 2026", page.Find("[data-testid=employment-ends]").TextContent));
        Assert.Contains("Employment end scheduled", page.Find("[data-testid=directory-changes]").TextContent);

        page.Find("button[aria-label='Call off the end of employment of user alpha1']").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=employment-ends]")));
        page.WaitForAssertion(() => Assert.Equal("Active", page.Find("[data-testid=employment]").TextContent.Trim()));
        Assert.Contains("Scheduled end called off", page.Find("[data-testid=directory-changes]").TextContent);
    }

    [Fact]
    public async Task StateAdministrator_IsOfferedTheCompleteHistoryAsPdfAndCsv_ADistrictCoordinatorIsNot()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);

        await using (var ctx = DashboardContext.Create(database, state.StateAdmin.Username))
        {
            var page = ctx.Render<PersonPage>(p => p.Add(x => x.Id, state.UserA1.Id));

            page.WaitForAssertion(() => page.FindByRole("link", $"Complete history (PDF) of {state.UserA1.FullName}"));
            Assert.Equal($"documents/files/person-history/{state.UserA1.Id}",
                page.FindByRole("link", $"Complete history (PDF) of {state.UserA1.FullName}").GetAttribute("href"));
            Assert.Equal($"documents/files/person-history/{state.UserA1.Id}?format=csv",
                page.FindByRole("link", $"Complete history (CSV) of {state.UserA1.FullName}").GetAttribute("href"));
        }

        await using (var ctx = DashboardContext.Create(database, state.DistrictA.Username))
        {
            var page = ctx.Render<PersonPage>(p => p.Add(x => x.Id, state.UserA1.Id));

            page.WaitForAssertion(() => page.Find("[data-testid=no-person-grants]"));
            Assert.Empty(page.FindAll("[data-testid=person-history]"));
            Assert.DoesNotContain("Complete history", page.Markup);
        }
    }
}
