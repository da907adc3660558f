using Bunit;
using EserSecurity.Core.Coordinators;
using EserSecurity.Dashboard.Components.Pages.Deputies;
using EserSecurity.Tests.Support;
using MudBlazor;

namespace EserSecurity.Tests.Dashboard.Deputies;

public sealed class DeputiesPageTests
{
    private static DateOnly Today(TestDatabase database) => DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime);

    private static List<string> Cells(IRenderedComponent<DeputiesPage> page) =>
        page.FindAll("tbody tr td").Select(c => string.Join(' ', c.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))).ToList();

    [Fact]
    public async Task TheDistrictCoordinator_SeesADeputyAwaitingApproval_AndApprovingItShowsItInForce()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var today = Today(database);
        await database.Get<DeputyService>().NameAsync(TestState.CallerFor(state.LocalA),
            new NewDeputy(state.LocalA.Id, state.UserA3.Id, state.LeaA.Id, today, today.AddDays(4), "Surgery."));
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        ctx.Render<MudPopoverProvider>();
        var page = ctx.Render<DeputiesPage>();
        page.WaitForAssertion(() => Assert.Equal("1 deputy", page.Find("[data-testid=grid-total]").TextContent.Trim()));
        var days = $"{today:MMM d, yyyy} – {today.AddDays(4):MMM d, yyyy}";
        Assert.Equal([state.LocalA.FullName, state.UserA3.FullName, state.LeaA.Name, days,
            $"Awaiting a district coordinator's approval Named by {state.LocalA.FullName}: Surgery."], Cells(page).Take(5));
        Assert.Single(page.FindButtons($"Cancel {state.UserA3.FullName} as deputy for {state.LocalA.FullName}"));

        await page.InvokeAsync(() => page.FindButton($"Approve {state.UserA3.FullName} as deputy for {state.LocalA.FullName}").Click());

        page.WaitForAssertion(() => Assert.StartsWith("In force today", Cells(page)[4]));
        Assert.Empty(page.FindButtons($"Approve {state.UserA3.FullName} as deputy for {state.LocalA.FullName}"));
    }

    [Fact]
    public async Task APersonWithNothingToHandOver_CannotNameADeputy_AndSeesThatNoneIsNamed()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);
        var page = ctx.Render<DeputiesPage>();

        page.WaitForAssertion(() => Assert.Contains("No deputy is named for you or for the school systems you coordinate.", page.Markup));
        Assert.True(page.FindButton("Name a deputy").HasAttribute("disabled"));
    }
}
