using Bunit;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Dashboard.Components.Pages.Readiness;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Tests.Dashboard.Readiness;

public sealed class SchoolSystemReadinessTests
{
    private static List<(string Name, string Reason)> People(IRenderedComponent<SchoolSystemReadinessPage> page) =>
        page.FindAll("#not-ready tbody tr").Where(r => r.QuerySelector("[data-testid=reason]") is not null)
            .Select(r => (r.QuerySelector(".grid-cell-main")!.TextContent.Trim(), r.QuerySelector("[data-testid=reason]")!.TextContent.Trim())).ToList();

    [Fact]
    public async Task DrillDown_ShowsSchools_AndEachNotReadyPersonWithTheReason()
    {
        var known = await KnownReadinessState.CreateAsync();
        await using var database = known.Database;
        await using var ctx = KnownReadinessState.Context(database, known.State.SupervisorA);

        var page = ctx.Render<SchoolSystemReadinessPage>(p => p.Add(x => x.SchoolSystemId, known.State.LeaA.Id));

        page.WaitForAssertion(() => Assert.Equal(4, People(page).Count));
        Assert.Contains("Alpha Parish Schools readiness", page.Find("h1").TextContent);
        Assert.Contains("Go-live readiness", page.Find("nav[aria-label=Breadcrumbs]").TextContent);
        var schools = page.FindAll("[data-testid=readiness-row] th a").Select(a => a.TextContent.Trim()).ToList();
        Assert.Equal(["Alpha Elementary", "Alpha High", "Alpha Middle", "No site in TAS"], schools.Order().ToList());
        Assert.Equal(
        [
            ("local alpha", "Request pending — waiting for district alpha"),
            ("supervisor alpha", "No request"),
            ("user alpha2", "Request pending — waiting for supervisor alpha"),
            ("user alpha3", "Assurance not signed"),
        ], People(page));
        Assert.Empty(page.FindAll("[data-testid=locked-out]"));
        Assert.Equal($"readiness/files/not-ready/{known.State.LeaA.Id}", page.Find("[data-testid=export-not-ready]").GetAttribute("href"));
    }

    [Fact]
    public async Task FiltersFromTheUrl_NarrowTheList_AndTheExportFollowsTheSchool()
    {
        var known = await KnownReadinessState.CreateAsync();
        await using var database = known.Database;
        await using var ctx = KnownReadinessState.Context(database, known.State.DistrictA);

        var navigation = ctx.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo($"readiness/{known.State.LeaA.Id}?reason=requestpending");
        var byReason = ctx.Render<SchoolSystemReadinessPage>(p => p.Add(x => x.SchoolSystemId, known.State.LeaA.Id));
        byReason.WaitForAssertion(() => Assert.Equal(["local alpha", "user alpha2"], People(byReason).Select(p => p.Name)));

        navigation.NavigateTo($"readiness/{known.State.LeaA.Id}?school={known.State.A3.Id}");
        var bySchool = byReason;
        bySchool.WaitForAssertion(() => Assert.Equal(["user alpha3"], People(bySchool).Select(p => p.Name)));
        Assert.EndsWith($"?schoolId={known.State.A3.Id}", bySchool.Find("[data-testid=export-not-ready]").GetAttribute("href"));
    }

    [Fact]
    public async Task AfterGoLive_PeopleWithoutAnApprovedRoleCarryALockedOutChip()
    {
        var known = await KnownReadinessState.CreateAsync();
        await using var database = known.Database;
        database.Clock.SetUtcNow(new DateTimeOffset(KnownReadinessState.GoLiveDay.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero));
        await using var ctx = KnownReadinessState.Context(database, known.State.DistrictA);

        var page = ctx.Render<SchoolSystemReadinessPage>(p => p.Add(x => x.SchoolSystemId, known.State.LeaA.Id));

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=locked-out]").Count));
        Assert.Contains("eSER is live: 3 people are locked out", page.Find("[data-testid=countdown]").TextContent);
        var userA3Row = page.FindAll("#not-ready tbody tr").Single(r => r.TextContent.Contains("user alpha3"));
        Assert.Null(userA3Row.QuerySelector("[data-testid=locked-out]"));
    }

    [Fact]
    public async Task OutsideTheCallersScope_SaysSoInsteadOfShowingFigures()
    {
        var known = await KnownReadinessState.CreateAsync();
        await using var database = known.Database;
        await using var ctx = KnownReadinessState.Context(database, known.State.DistrictB);

        var page = ctx.Render<SchoolSystemReadinessPage>(p => p.Add(x => x.SchoolSystemId, known.State.LeaA.Id));

        page.WaitForAssertion(() => Assert.Contains("outside your scope", page.Markup));
        Assert.Empty(page.FindAll("[data-testid=readiness-row]"));
    }

    [Fact]
    public async Task OpenList_MovesWhenTheCoordinatorApproves()
    {
        var known = await KnownReadinessState.CreateAsync();
        await using var database = known.Database;
        await using var ctx = KnownReadinessState.Context(database, known.State.DistrictA);
        var page = ctx.Render<SchoolSystemReadinessPage>(p => p.Add(x => x.SchoolSystemId, known.State.LeaA.Id));
        page.WaitForAssertion(() => Assert.Contains(("local alpha", "Request pending — waiting for district alpha"), People(page)));

        await database.Get<AccessRequestService>().DecideAsync(TestState.CallerFor(known.State.DistrictA), known.LocalRequest.Id, Decision.Approve, null);

        page.WaitForAssertion(() => Assert.Contains(("local alpha", "Assurance not signed"), People(page)));
        Assert.Equal("3", page.Find("[data-testid=total-grant]").TextContent.Trim());
    }
}
