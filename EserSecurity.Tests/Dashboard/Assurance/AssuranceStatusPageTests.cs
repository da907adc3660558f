using Bunit;
using EserSecurity.Dashboard.Components.Pages.Assurance;
using EserSecurity.Tests.Core.Assurance;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Tests.Dashboard.Assurance;

public sealed class AssuranceStatusPageTests
{
    private static IRenderedComponent<AssuranceStatusPage> Open(BunitContext ctx, string query = "")
    {
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("assurance/status" + query);
        var page = ctx.Render<AssuranceStatusPage>();
        page.WaitForAssertion(() => Assert.Matches(@"^\d[\d,]*$", Figure(page, "status-signed")));
        return page;
    }

    private static string Figure(IRenderedComponent<AssuranceStatusPage> page, string testId) => page.Find($"[data-testid={testId}]").TextContent.Trim();

    /// <summary>The people list's names, in order, with each person's status.</summary>
    private static List<string> People(IRenderedComponent<AssuranceStatusPage> page) =>
        page.FindAll("tbody.mud-table-body tr:has(.cell-main)")
            .Select(r => $"{r.QuerySelector(".cell-main")!.TextContent.Trim()}: {r.QuerySelector("[data-testid=assurance-status]")!.TextContent.Trim()}")
            .ToList();

    private static List<string> ChartRows(IRenderedComponent<AssuranceStatusPage> page) =>
        page.FindAll("[data-testid=chart-row]").Select(r => string.Join(" | ", r.Children.Take(4).Select(c => c.TextContent.Trim()))).ToList();

    [Fact]
    public async Task DistrictCoordinator_SeesTheirSchoolSystemsCountsBySchool_AndItsPeople()
    {
        var (database, state) = await AssuranceTestSupport.ArrangeAsync();
        await using var _ = database;
        var version = await AssuranceTestSupport.PublishAsync(database, state);
        await AssuranceTestSupport.SignAsync(database, state.UserA1, version);
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);

        var page = Open(ctx);

        Assert.Equal(("1", "0", "4"), (Figure(page, "status-signed"), Figure(page, "status-due"), Figure(page, "status-overdue")));
        Assert.Equal("By school in 101 · Alpha Parish Schools", page.Find("#chart-heading").TextContent.Trim());
        // Most unsigned first: the district office (district coordinator, supervisor), then A1 (local coordinator unsigned, user signed), A3, A2.
        Assert.Equal(
        [
            "Alpha Parish Schools · No school (school-system staff) | 0 | 2 | 2",
            "101001 · Alpha Elementary | 1 | 1 | 2",
            "101003 · Alpha High | 0 | 1 | 1",
            "101002 · Alpha Middle | 0 | 0 | 0",
        ], ChartRows(page));
        page.WaitForAssertion(() => Assert.Equal(5, People(page).Count));
        Assert.Contains($"{state.UserA1.FullName}: Signed", People(page));
        Assert.DoesNotContain(People(page), p => p.StartsWith(state.UserB1.FullName, StringComparison.Ordinal));
        Assert.Equal("documents/files/assurance-status", page.Find("[data-testid=status-csv]").GetAttribute("href"));
    }

    [Fact]
    public async Task FiltersInTheUrl_NarrowTheList_AndTheExport()
    {
        var (database, state) = await AssuranceTestSupport.ArrangeAsync();
        await using var _ = database;
        var version = await AssuranceTestSupport.PublishAsync(database, state);
        await AssuranceTestSupport.SignAsync(database, state.UserA1, version);
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);

        var page = Open(ctx, $"?status=overdue&school={state.A1.Id}");

        page.WaitForAssertion(() => Assert.Equal([$"{state.LocalA.FullName}: Overdue"], People(page)));
        Assert.Equal($"documents/files/assurance-status?status=overdue&school={state.A1.Id}", page.Find("[data-testid=status-csv]").GetAttribute("href"));

        await page.InvokeAsync(() => ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("assurance/status?status=signed"));

        page.WaitForAssertion(() => Assert.Equal([$"{state.UserA1.FullName}: Signed"], People(page)));
    }

    [Fact]
    public async Task SomeoneInScopeSigns_CountsAndListUpdateWithoutReload()
    {
        var (database, state) = await AssuranceTestSupport.ArrangeAsync();
        await using var _ = database;
        var version = await AssuranceTestSupport.PublishAsync(database, state);
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var page = Open(ctx, $"?search={state.UserA3.StaffId}");
        page.WaitForAssertion(() => Assert.Equal([$"{state.UserA3.FullName}: Overdue"], People(page)));
        Assert.Equal("0", Figure(page, "status-signed"));

        await AssuranceTestSupport.SignAsync(database, state.UserA3, version);

        page.WaitForAssertion(() =>
        {
            Assert.Equal(("1", "4"), (Figure(page, "status-signed"), Figure(page, "status-overdue")));
            Assert.Equal([$"{state.UserA3.FullName}: Signed"], People(page));
        });
        Assert.Contains("101003 · Alpha High | 1 | 0 | 1", ChartRows(page));
    }

    [Fact]
    public async Task LocalCoordinator_SeesOnlyTheirSchools()
    {
        var (database, state) = await AssuranceTestSupport.ArrangeAsync();
        await using var _ = database;
        await AssuranceTestSupport.PublishAsync(database, state);
        await using var ctx = DashboardContext.Create(database, state.LocalA.Username);

        var page = Open(ctx);

        Assert.Equal("2", Figure(page, "status-overdue"));
        Assert.Equal(["101001 · Alpha Elementary | 0 | 2 | 2", "101002 · Alpha Middle | 0 | 0 | 0"], ChartRows(page));
        page.WaitForAssertion(() => Assert.Equal(2, People(page).Count));
    }

    [Fact]
    public async Task StateAdministrator_SeesSchoolSystems_AndDrillsIntoOne()
    {
        var (database, state) = await AssuranceTestSupport.ArrangeAsync();
        await using var _ = database;
        await AssuranceTestSupport.PublishAsync(database, state);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);

        var page = Open(ctx);

        Assert.Equal("8", Figure(page, "status-overdue"));
        Assert.Equal("By school system", page.Find("#chart-heading").TextContent.Trim());
        Assert.Equal(
        [
            "101 · Alpha Parish Schools | 0 | 5 | 5",
            "202 · Bravo City Schools | 0 | 2 | 2",
            "State · State education agency | 0 | 1 | 1",
        ], ChartRows(page));

        await page.InvokeAsync(() => ctx.Services.GetRequiredService<NavigationManager>().NavigateTo($"assurance/status?lea={state.LeaB.Id}"));

        page.WaitForAssertion(() => Assert.Equal("By school in 202 · Bravo City Schools", page.Find("#chart-heading").TextContent.Trim()));
        Assert.Equal("2", Figure(page, "status-overdue"));
        page.WaitForAssertion(() => Assert.Equal(2, People(page).Count));
    }

    [Fact]
    public async Task StaffUser_IsToldTheStatusOfOthersIsForCoordinators()
    {
        var (database, state) = await AssuranceTestSupport.ArrangeAsync();
        await using var _ = database;
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);

        var page = ctx.Render<AssuranceStatusPage>();

        page.WaitForAssertion(() => Assert.Contains("for security coordinators, supervisors and state administrators", page.Find("[data-testid=status-denied]").TextContent));
    }
}
