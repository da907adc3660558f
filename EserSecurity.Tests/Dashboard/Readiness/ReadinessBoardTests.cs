using Bunit;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Changes;
using EserSecurity.Dashboard.Components.Pages.Readiness;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Tests.Dashboard.Readiness;

public sealed class ReadinessBoardTests
{
    private static string Figure(IRenderedComponent<ReadinessBoardPage> board, string testId) => board.Find($"[data-testid={testId}]").TextContent.Trim();

    private static List<string> RowNames(IRenderedComponent<ReadinessBoardPage> board) =>
        board.FindAll("[data-testid=readiness-row] th a").Select(a => a.TextContent.Trim()).ToList();

    [Fact]
    public async Task StateAdministrator_SeesCountdownTotalsAndEverySchoolSystem_LeastReadyFirst()
    {
        var known = await KnownReadinessState.CreateAsync();
        await using var database = known.Database;
        await using var ctx = KnownReadinessState.Context(database, known.State.StateAdmin);

        var board = ctx.Render<ReadinessBoardPage>();

        board.WaitForAssertion(() => Assert.Contains("37 days to go-live", board.Find("[data-testid=countdown]").TextContent));
        Assert.Contains("Monday, January 4, 2027", board.Find("[data-testid=countdown]").TextContent);
        Assert.Equal("6", Figure(board, "total-legacy"));
        Assert.Equal("3", Figure(board, "total-grant"));
        Assert.Equal("3", Figure(board, "total-assurance"));
        Assert.Equal("2", Figure(board, "total-ready"));
        Assert.Equal("4", Figure(board, "total-not-ready"));
        Assert.Equal(["Alpha Parish Schools", "Bravo City Schools"], RowNames(board));
        Assert.Equal("20", board.FindByRole("progressbar", "Alpha Parish Schools: 20% ready").GetAttribute("aria-valuenow"));
        Assert.Equal("100", board.FindByRole("progressbar", "Bravo City Schools: 100% ready").GetAttribute("aria-valuenow"));
        Assert.Equal("readiness/" + known.State.LeaA.Id, board.Find("[data-testid=readiness-row] th a").GetAttribute("href"));
    }

    [Fact]
    public async Task DistrictCoordinator_SeesOnlyTheirSchoolSystem()
    {
        var known = await KnownReadinessState.CreateAsync();
        await using var database = known.Database;
        await using var ctx = KnownReadinessState.Context(database, known.State.DistrictB);

        var board = ctx.Render<ReadinessBoardPage>();

        board.WaitForAssertion(() => Assert.Equal(["Bravo City Schools"], RowNames(board)));
        Assert.Equal("1", Figure(board, "total-legacy"));
        Assert.Equal("0", Figure(board, "total-not-ready"));
    }

    [Fact]
    public async Task SortByPercentReady_DescendingFromTheUrl_PutsTheReadiestFirst_AndTheHeaderFlipsIt()
    {
        var known = await KnownReadinessState.CreateAsync();
        await using var database = known.Database;
        await using var ctx = KnownReadinessState.Context(database, known.State.StateAdmin);
        var navigation = ctx.Services.GetRequiredService<NavigationManager>();

        navigation.NavigateTo("readiness?sort=percentready&desc=true");
        var board = ctx.Render<ReadinessBoardPage>();

        board.WaitForAssertion(() => Assert.Equal(["Bravo City Schools", "Alpha Parish Schools"], RowNames(board)));
        Assert.Equal("descending", board.Find("th[aria-sort=descending]").GetAttribute("aria-sort"));
        board.FindButton("% ready: sort by percent ready").Click();
        Assert.EndsWith("/readiness?sort=percentready", navigation.Uri);
        board.WaitForAssertion(() => Assert.Equal(["Alpha Parish Schools", "Bravo City Schools"], RowNames(board)));
        board.FindButton("Not ready: sort by not ready").Click();
        Assert.EndsWith("/readiness?sort=notready&desc=True", navigation.Uri, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AfterGoLive_TheBoardSaysESerIsLive_AndCountsWhoIsLockedOut()
    {
        var known = await KnownReadinessState.CreateAsync();
        await using var database = known.Database;
        database.Clock.SetUtcNow(new DateTimeOffset(KnownReadinessState.GoLiveDay.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero));
        await using var ctx = KnownReadinessState.Context(database, known.State.StateAdmin);

        var board = ctx.Render<ReadinessBoardPage>();

        board.WaitForAssertion(() => Assert.Contains("eSER is live: 3 people are locked out", board.Find("[data-testid=countdown]").TextContent));
        Assert.Contains("3 locked out", board.FindAll("[data-testid=readiness-row]")[0].TextContent);
    }

    [Fact]
    public async Task OpenBoard_MovesWhenARequestIsApprovedAndWhenSomeoneSigns()
    {
        var known = await KnownReadinessState.CreateAsync();
        await using var database = known.Database;
        await using var ctx = KnownReadinessState.Context(database, known.State.DistrictA);
        var board = ctx.Render<ReadinessBoardPage>();
        board.WaitForAssertion(() => Assert.Equal("2", Figure(board, "total-grant")));

        var outcome = await database.Get<AccessRequestService>().DecideAsync(TestState.CallerFor(known.State.DistrictA), known.LocalRequest.Id, Decision.Approve, null);
        Assert.True(outcome.Succeeded, outcome.Message);

        board.WaitForAssertion(() => Assert.Equal("3", Figure(board, "total-grant")));
        Assert.Equal("1", Figure(board, "total-ready"));

        // A signature made elsewhere: recorded, then announced on the feed as the assurance service does.
        await using (var db = await database.OpenAsync())
        {
            db.AssuranceSignatures.Add(KnownReadinessState.Signature(known.State.UserA3, known.StatementId, database.Clock.GetUtcNow()));
            await db.SaveChangesAsync();
        }
        database.Get<IAccessChangeFeed>().Publish(new AccessChange(AccessChangeKind.AssuranceSigned, known.State.LeaA.Id, known.State.A3.Id, null,
            known.State.UserA3.Id, database.Clock.GetUtcNow()));

        board.WaitForAssertion(() => Assert.Equal("2", Figure(board, "total-ready")));
        Assert.Equal("3", Figure(board, "total-not-ready"));
    }
}
