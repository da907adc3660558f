using Bunit;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Grants;
using EserSecurity.Dashboard.Components.Pages.Expiring;
using EserSecurity.Dashboard.Components.Pages.People;
using EserSecurity.Dashboard.Components.Pages.Queue;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace EserSecurity.Tests.Dashboard.Grants;

/// <summary>Access that expires as people see it: the holder's end date and Renew button, the coordinators' list, the approval's end day.</summary>
public sealed class ExpiringAccessTests
{
    private static DateOnly Today(TestDatabase database) => DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime);

    private static async Task<AccessGrant> GrantEndingAsync(TestDatabase database, TestState state, int days)
    {
        var grant = await GrantSetup.AddAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1);
        await using var db = await database.OpenAsync();
        await db.AccessGrants.Where(g => g.Id == grant.Id).ExecuteUpdateAsync(s => s.SetProperty(g => g.EndsOn, Today(database).AddDays(days)));
        return grant;
    }

    [Fact]
    public async Task TheHolder_SeesTheLastDay_AndRenewsWithOneClick_AndTheCoordinatorsListShowsTheRenewalLive()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var grant = await GrantEndingAsync(database, state, 10);
        var lastDay = Today(database).AddDays(10).ToString("MMM d, yyyy");
        await using var coordinatorCtx = DashboardContext.Create(database, state.DistrictA.Username);
        var list = coordinatorCtx.Render<ExpiringAccessPage>();
        list.WaitForAssertion(() => Assert.Equal("1 grant", list.Find("[data-testid=grid-total]").TextContent.Trim()));
        var cells = list.FindAll("tbody tr td").Select(c => string.Join(' ', c.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))).ToList();
        Assert.Equal([$"{state.UserA1.FullName} {state.UserA1.StaffId}", "Student Data Entry", state.A1.Name, $"{lastDay} 10 days left", "Not requested"], cells);

        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);
        var page = ctx.Render<PersonPage>(p => p.Add(x => x.Id, state.UserA1.Id));
        page.WaitForAssertion(() => Assert.Contains($"Active until {lastDay}", page.Find("[data-testid=person-grants] tbody").TextContent));
        await page.InvokeAsync(() => page.FindButton($"Renew Student Data Entry at {state.A1.Name}").Click());

        page.WaitForAssertion(() => Assert.Contains("Renewal requested", page.Find("[data-testid=person-grants] tbody").TextContent));
        Assert.Empty(page.FindButtons($"Renew Student Data Entry at {state.A1.Name}"));
        list.WaitForAssertion(() => Assert.Contains("Requested: in your approval queue", list.Find("tbody tr").TextContent));
        await using var db = await database.OpenAsync();
        Assert.Equal(AccessRequestStatus.PendingCoordinator, (await db.AccessRequests.SingleAsync(r => r.RenewsGrantId == grant.Id)).Status);
    }

    [Fact]
    public async Task TheList_SaysSoWhenNothingEnds_AndTellsOthersItIsForCoordinators()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await GrantEndingAsync(database, state, 60);
        await using var ctx = DashboardContext.Create(database, state.LocalA.Username);
        var list = ctx.Render<ExpiringAccessPage>();
        list.WaitForAssertion(() => Assert.Contains("No grant in your schools ends within 30 days.", list.Markup));

        await using var userCtx = DashboardContext.Create(database, state.UserA1.Username);
        var denied = userCtx.Render<ExpiringAccessPage>();
        denied.WaitForAssertion(() => Assert.Contains("This list is for security coordinators and state administrators; you are neither.", denied.Markup));
        Assert.Empty(denied.FindAll("table"));
    }

    [Fact]
    public async Task ApprovingARoleWithALongestDuration_SaysWhenItEnds_AndTheGrantTakesThatDay()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using (var db = await database.OpenAsync())
        {
            await db.EserRoles.Where(r => r.Id == state.SchoolRole.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.MaxDurationDays, 90));
        }
        var request = await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, database.Clock.GetUtcNow());
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        ctx.Render<MudPopoverProvider>();
        var panel = ctx.Render<RequestDetailPanel>(p => p.Add(c => c.RequestId, request.Id));
        panel.WaitForAssertion(() => Assert.False(panel.FindButton($"Approve request {request.Id}").HasAttribute("disabled")));
        var latest = Today(database).AddDays(90);

        Assert.Contains($"Student Data Entry runs for at most 90 days: empty ends it on {latest:MMM d, yyyy}", panel.Markup);
        panel.FindButton($"Approve request {request.Id}").Click();

        panel.WaitForAssertion(() => Assert.Equal("Approved: Student Data Entry is granted.", panel.Find("[data-testid=decision-outcome]").TextContent.Trim()));
        await using var check = await database.OpenAsync();
        Assert.Equal(latest, (await check.AccessGrants.SingleAsync()).EndsOn);
    }
}
