using System.Security.Claims;
using AngleSharp.Dom;
using Bunit;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Identity;
using EserSecurity.Dashboard.Components.Shared;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MudBlazor;
using EserSecurity.Dashboard.Components.Pages.Queue;
using QueuePage = EserSecurity.Dashboard.Components.Pages.Queue.Queue;

namespace EserSecurity.Tests.Dashboard.Queue;

public sealed class QueueTests
{
    [Fact]
    public async Task Grid_ShowsOnlyRequestsRoutedToTheDistrictCoordinator()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var now = database.Clock.GetUtcNow();
        var a1 = await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, now.AddDays(-3));
        var a3 = await TestState.AddPendingRequestAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3, now.AddDays(-2));
        var lea = await TestState.AddPendingRequestAsync(database, state.UserA3, state.LeaRole, state.LeaA, null, now.AddDays(-1));
        await TestState.AddPendingRequestAsync(database, state.UserB1, state.SchoolRole, state.LeaB, state.B1, now.AddDays(-1));
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);

        var queue = ctx.Render<QueuePage>();

        queue.WaitForAssertion(() =>
        {
            Assert.Equal([a1.Id, a3.Id, lea.Id], ShownRequestIds(queue));
            Assert.Equal("3 requests", queue.Find("[data-testid=grid-total]").TextContent.Trim());
        });
        Assert.DoesNotContain(state.UserB1.FullName, queue.Find("table").TextContent);
    }

    [Fact]
    public async Task SchoolFilter_ListsTheCoordinatorsSchools_ChoosingOnePutsItInTheAddress_AndAnySchoolTakesItOut()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var now = database.Clock.GetUtcNow();
        var a1 = await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, now.AddDays(-3));
        var a3 = await TestState.AddPendingRequestAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3, now.AddDays(-2));
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var navigation = ctx.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("queue");

        var queue = ctx.Render<QueuePage>();
        queue.WaitForAssertion(() => Assert.Equal([a1.Id, a3.Id], ShownRequestIds(queue)));
        var school = SelectLabelled(queue, "School");
        Assert.Equal(["Any school", "Alpha Elementary", "Alpha High", "Alpha Middle"], school.QuerySelectorAll("option").Select(o => o.TextContent));
        Assert.Equal("", school.GetAttribute("value"));

        await school.ChangeAsync(new ChangeEventArgs { Value = state.A3.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.EndsWith($"queue?school={state.A3.Id}", navigation.Uri);

        // The page opened at that address shows the school's requests, with the school chosen.
        var filtered = ctx.Render<QueuePage>();
        filtered.WaitForAssertion(() => Assert.Equal([a3.Id], ShownRequestIds(filtered)));
        var chosen = SelectLabelled(filtered, "School");
        Assert.Equal($"{state.A3.Id}", chosen.GetAttribute("value"));
        await chosen.ChangeAsync(new ChangeEventArgs { Value = "" });
        Assert.EndsWith("queue", navigation.Uri);
    }

    [Fact]
    public async Task Filters_CreateNoComponentPerSchoolOrRole()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var ctx = DashboardContext.Create(database, null);
        var renders = new RenderLog();
        ctx.Services.AddSingleton<ILoggerFactory>(renders);
        static IReadOnlyList<(int, string)> Named(int count, string what) => [.. Enumerable.Range(1, count).Select(i => (i, $"{what} {i}"))];

        // Every open queue holds its filters for as long as it stays open: a school system's forty schools must not be
        // forty components (or eighty: MudSelect renders its items once more, hidden).
        var few = ctx.Render<QueueFilters>(p => p.Add(f => f.Schools, Named(1, "School")).Add(f => f.Roles, Named(1, "Role")));
        var createdForFew = renders.CreatedInAll;
        renders.Clear();
        var many = ctx.Render<QueueFilters>(p => p.Add(f => f.Schools, Named(40, "School")).Add(f => f.Roles, Named(40, "Role")));

        Assert.Equal(createdForFew, renders.CreatedInAll);
        Assert.Equal(41, SelectLabelled(many, "School").QuerySelectorAll("option").Length);
        Assert.Equal(41, SelectLabelled(many, "Role").QuerySelectorAll("option").Length);
        Assert.Equal(0, renders.Created<MudSelect<int?>>());
    }

    /// <summary>The select a label names, as a person finds it.</summary>
    private static IElement SelectLabelled(IRenderedComponent<IComponent> page, string label) =>
        page.Find($"select#{page.FindAll("label").Single(l => l.TextContent.Trim() == label).GetAttribute("for")}");

    [Fact]
    public async Task Grid_ForLocalCoordinator_ShowsOnlyTheGroupsSchools()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var now = database.Clock.GetUtcNow();
        var a1 = await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, now.AddDays(-3));
        var a2 = await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A2, now.AddDays(-2));
        await TestState.AddPendingRequestAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3, now.AddDays(-2));
        await TestState.AddPendingRequestAsync(database, state.UserA3, state.LeaRole, state.LeaA, null, now.AddDays(-1));
        await TestState.AddPendingRequestAsync(database, state.UserB1, state.SchoolRole, state.LeaB, state.B1, now.AddDays(-1));
        await using var ctx = DashboardContext.Create(database, state.LocalA.Username);

        var queue = ctx.Render<QueuePage>();

        queue.WaitForAssertion(() =>
        {
            Assert.Equal([a1.Id, a2.Id], ShownRequestIds(queue));
            Assert.Equal("2 requests", queue.Find("[data-testid=grid-total]").TextContent.Trim());
        });
    }

    [Fact]
    public async Task RequestSubmittedElsewhere_AppearsLive_AndIsHighlightedAsNew()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var waiting = await TestState.AddPendingRequestAsync(
            database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, database.Clock.GetUtcNow().AddDays(-1));
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var queue = ctx.Render<QueuePage>();
        queue.WaitForAssertion(() => Assert.Equal("1 request", queue.Find("[data-testid=grid-total]").TextContent.Trim()));

        var submitted = await database.Get<AccessRequestService>().SubmitAsync(
            TestState.CallerFor(state.UserA3), new NewAccessRequest(state.SchoolRole.Id, state.A3.Id, "I enter attendance."));

        queue.WaitForAssertion(() =>
        {
            Assert.Equal([waiting.Id, submitted], ShownRequestIds(queue));
            Assert.Equal("2 requests", queue.Find("[data-testid=grid-total]").TextContent.Trim());
        });
        Assert.Contains("row-new", RowOf(queue, submitted).ClassList);
        Assert.DoesNotContain("row-new", RowOf(queue, waiting.Id).ClassList);
    }

    [Fact]
    public async Task RequestSubmittedIntoAnEmptyQueue_IsHighlightedAsNew()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var queue = ctx.Render<QueuePage>();
        queue.WaitForAssertion(() => Assert.Contains("Nothing is waiting for you", queue.Find("table").TextContent));

        var submitted = await database.Get<AccessRequestService>().SubmitAsync(
            TestState.CallerFor(state.UserA3), new NewAccessRequest(state.SchoolRole.Id, state.A3.Id, "I enter attendance."));

        queue.WaitForAssertion(() => Assert.Equal([submitted], ShownRequestIds(queue)));
        Assert.Contains("row-new", RowOf(queue, submitted).ClassList);
    }

    [Fact]
    public async Task RequestDecidedByAnotherCoordinator_LeavesTheGridLive()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var now = database.Clock.GetUtcNow();
        var a1 = await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, now.AddDays(-2));
        var a3 = await TestState.AddPendingRequestAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3, now.AddDays(-1));
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var queue = ctx.Render<QueuePage>();
        queue.WaitForAssertion(() => Assert.Equal([a1.Id, a3.Id], ShownRequestIds(queue)));
        var showedLoadingBar = false;
        queue.OnMarkupUpdated += (_, _) => showedLoadingBar |= queue.FindAll("table .mud-progress-linear").Count > 0;

        await database.Get<AccessRequestService>().DecideAsync(TestState.CallerFor(state.LocalA), a1.Id, Decision.Approve, null);

        queue.WaitForAssertion(() =>
        {
            Assert.Equal([a3.Id], ShownRequestIds(queue));
            Assert.Equal("1 request", queue.Find("[data-testid=grid-total]").TextContent.Trim());
        });
        // Someone else's change re-renders the table with the new rows only, not first with a loading bar.
        Assert.False(showedLoadingBar);
    }

    [Fact]
    public async Task RequestDecidedByAnotherCoordinator_RendersTheTableItsPagerAndTheTotalOnce_AndNotThePage()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var now = database.Clock.GetUtcNow();
        var a1 = await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, now.AddDays(-2));
        var a3 = await TestState.AddPendingRequestAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3, now.AddDays(-1));
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var renders = new RenderLog();
        ctx.Services.AddSingleton<ILoggerFactory>(renders);
        var queue = ctx.Render<QueuePage>();
        queue.WaitForAssertion(() =>
        {
            Assert.Equal([a1.Id, a3.Id], ShownRequestIds(queue));
            Assert.Equal("2 requests", queue.Find("[data-testid=grid-total]").TextContent.Trim());
        });
        // Let whatever the first load queued on the dispatcher run before counting.
        await queue.InvokeAsync(() => { });
        renders.Clear();

        await database.Get<AccessRequestService>().DecideAsync(TestState.CallerFor(state.LocalA), a1.Id, Decision.Approve, null);

        queue.WaitForAssertion(() =>
        {
            Assert.Equal([a3.Id], ShownRequestIds(queue));
            Assert.Equal("1 request", queue.Find("[data-testid=grid-total]").TextContent.Trim());
        });
        await queue.InvokeAsync(() => { });
        // The live grid renders its toolbar (with the total) and its table once each, not itself: that would hand the
        // table new parameters. The pager, whose total changed, renders once too, not again when the table asks a
        // moment later. The page around them does not render.
        Assert.Equal(1, renders.Count<RenderSection>());
        Assert.Equal(1, renders.Count<LiveDataGrid<QueueRow>>());
        Assert.Equal(0, renders.Count<LiveGrid<QueueRow, int>>());
        Assert.Equal(1, renders.Count<LiveDataGridPager<QueueRow>>());
        Assert.Equal(0, renders.Count<QueuePage>());
    }

    [Fact]
    public async Task RequestDecidedByAnotherCoordinator_CreatesNoComponentInTheRowsThatMoveUp()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var now = database.Clock.GetUtcNow();
        var a1 = await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, now.AddDays(-3));
        var a3 = await TestState.AddPendingRequestAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3, now.AddDays(-2));
        var lea = await TestState.AddPendingRequestAsync(database, state.UserA3, state.LeaRole, state.LeaA, null, now.AddDays(-1));
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var renders = new RenderLog();
        ctx.Services.AddSingleton<ILoggerFactory>(renders);
        var queue = ctx.Render<QueuePage>();
        queue.WaitForAssertion(() => Assert.Equal([a1.Id, a3.Id, lea.Id], ShownRequestIds(queue)));
        renders.Clear();

        await database.Get<AccessRequestService>().DecideAsync(TestState.CallerFor(state.LocalA), a1.Id, Decision.Approve, null);

        queue.WaitForAssertion(() => Assert.Equal([a3.Id, lea.Id], ShownRequestIds(queue)));
        // MudDataGrid matches rows by position, so the two rows below the dropped one are created again; their cells
        // hold elements only, and no button component is created with them.
        Assert.Equal(0, renders.Created<MudButton>());
        queue.FindButton($"Open request {a3.Id} from {state.UserA3.FullName}").Click();
        queue.WaitForAssertion(() => Assert.NotNull(queue.FindButton($"Approve request {a3.Id}")));
    }

    [Fact]
    public async Task NextPage_DoesNotHighlightItsRowsAsNew()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var now = database.Clock.GetUtcNow();
        await using (var db = await database.OpenAsync())
        {
            // 26 requests: one more than a page.
            db.AccessRequests.AddRange(Enumerable.Range(0, 26).Select(i => new AccessRequest
            {
                RequesterId = state.UserA1.Id, EserRoleId = state.SchoolRole.Id, SchoolSystemId = state.LeaA.Id, SchoolId = state.A1.Id,
                Justification = "Needed.", Status = AccessRequestStatus.PendingCoordinator, SubmittedAt = now.AddMinutes(-100 + i),
            }));
            await db.SaveChangesAsync();
        }
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var queue = ctx.Render<QueuePage>();
        queue.WaitForAssertion(() => Assert.Equal(25, ShownRequestIds(queue).Count));

        queue.FindButton("Next page").Click();

        queue.WaitForAssertion(() => Assert.Single(ShownRequestIds(queue)));
        Assert.DoesNotContain(queue.FindAll("tbody tr"), row => row.ClassList.Contains("row-new"));
    }

    [Fact]
    public async Task OpenedRequest_ApprovedInThePanel_LeavesTheGrid()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var now = database.Clock.GetUtcNow();
        var a1 = await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, now.AddDays(-2));
        var a3 = await TestState.AddPendingRequestAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3, now.AddDays(-1));
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var queue = ctx.Render<QueuePage>();
        queue.WaitForAssertion(() => Assert.Equal([a1.Id, a3.Id], ShownRequestIds(queue)));

        queue.FindButton($"Open request {a1.Id} from {state.UserA1.FullName}").Click();
        queue.WaitForAssertion(() => Assert.Contains("row-open", RowOf(queue, a1.Id).ClassList));
        queue.WaitForAssertion(() => Assert.False(queue.FindButton($"Approve request {a1.Id}").HasAttribute("disabled")));
        queue.FindButton($"Approve request {a1.Id}").Click();

        queue.WaitForAssertion(() =>
        {
            Assert.Equal([a3.Id], ShownRequestIds(queue));
            Assert.Equal("1 request", queue.Find("[data-testid=grid-total]").TextContent.Trim());
        });
        Assert.StartsWith("Approved", queue.Find($"[role=region][aria-label='Request {a1.Id}'] [data-testid=decision-outcome]").TextContent.Trim());
    }

    [Fact]
    public async Task BulkApprove_ApprovesTheSelected_AndListsOneAnotherCoordinatorDecidedFirst()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var now = database.Clock.GetUtcNow();
        var a1 = await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, now.AddDays(-3));
        var a3 = await TestState.AddPendingRequestAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3, now.AddDays(-2));
        var lea = await TestState.AddPendingRequestAsync(database, state.UserA3, state.LeaRole, state.LeaA, null, now.AddDays(-1));
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var dialogs = ctx.Render<MudDialogProvider>();
        var queue = ctx.Render<QueuePage>();
        queue.WaitForAssertion(() => Assert.Equal(3, ShownRequestIds(queue).Count));

        foreach (var id in new[] { a1.Id, a3.Id, lea.Id })
        {
            RowOf(queue, id).QuerySelector("input[type=checkbox]")!.Change(true);
        }
        queue.WaitForAssertion(() => Assert.False(queue.FindButton("Approve selected (3)").HasAttribute("disabled")));
        queue.FindButton("Approve selected (3)").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Approve 3 requests?", dialogs.Find("[role=dialog]").TextContent));
        // While the coordinator reads the confirmation, a local coordinator approves one of the three.
        await database.Get<AccessRequestService>().DecideAsync(TestState.CallerFor(state.LocalA), a1.Id, Decision.Approve, null);
        dialogs.FindButton("Approve").Click();

        queue.WaitForAssertion(() => Assert.Contains("2 approved", queue.Find("[data-testid=bulk-summary]").TextContent));
        var summary = queue.Find("[data-testid=bulk-summary]");
        Assert.Contains("1 not approved", summary.TextContent);
        var notApproved = Assert.Single(summary.QuerySelectorAll("li"));
        Assert.Contains($"Request #{a1.Id}: Already approved by {state.LocalA.FullName}", notApproved.TextContent);
        queue.WaitForAssertion(() => Assert.Equal("0 requests", queue.Find("[data-testid=grid-total]").TextContent.Trim()));

        await using var db = await database.OpenAsync();
        var approvals = await db.AccessRequestSteps.Where(s => s.Action == AccessRequestAction.CoordinatorApproved)
            .ToDictionaryAsync(s => s.AccessRequestId, s => s.ActorId);
        Assert.Equal(state.LocalA.Id, approvals[a1.Id]);
        Assert.Equal(state.DistrictA.Id, approvals[a3.Id]);
        Assert.Equal(state.DistrictA.Id, approvals[lea.Id]);
        Assert.Equal(3, approvals.Count);
        Assert.Equal(3, await db.AccessGrants.CountAsync());
    }

    [Fact]
    public async Task SelectEveryRequestOnThePage_TicksEachRowByItsOwnName()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var now = database.Clock.GetUtcNow();
        var a1 = await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, now.AddDays(-2));
        var a3 = await TestState.AddPendingRequestAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3, now.AddDays(-1));
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var queue = ctx.Render<QueuePage>();
        queue.WaitForAssertion(() => Assert.Equal(2, ShownRequestIds(queue).Count));

        await queue.InvokeAsync(() => queue.Find("input[aria-label='Select every request on this page']").Change(true));

        queue.WaitForAssertion(() => Assert.False(queue.FindButton("Approve selected (2)").HasAttribute("disabled")));
        Assert.True(((AngleSharp.Html.Dom.IHtmlInputElement)queue.Find($"input[aria-label='Select request {a1.Id} from {state.UserA1.FullName}']")).IsChecked);
        Assert.True(((AngleSharp.Html.Dom.IHtmlInputElement)queue.Find($"input[aria-label='Select request {a3.Id} from {state.UserA3.FullName}']")).IsChecked);
        await queue.InvokeAsync(() => queue.Find("input[aria-label='Select every request on this page']").Change(false));
        queue.WaitForAssertion(() => Assert.True(queue.FindButton("Approve selected (0)").HasAttribute("disabled")));
    }

    [Fact]
    public async Task SelectedRequestDecidedElsewhere_LeavesTheSelection()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var now = database.Clock.GetUtcNow();
        var a1 = await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, now.AddDays(-2));
        var a3 = await TestState.AddPendingRequestAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3, now.AddDays(-1));
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var queue = ctx.Render<QueuePage>();
        queue.WaitForAssertion(() => Assert.Equal(2, ShownRequestIds(queue).Count));
        RowOf(queue, a1.Id).QuerySelector("input[type=checkbox]")!.Change(true);
        RowOf(queue, a3.Id).QuerySelector("input[type=checkbox]")!.Change(true);
        queue.WaitForAssertion(() => Assert.False(queue.FindButton("Approve selected (2)").HasAttribute("disabled")));

        await database.Get<AccessRequestService>().DecideAsync(TestState.CallerFor(state.LocalA), a1.Id, Decision.Approve, null);

        queue.WaitForAssertion(() => Assert.Equal([a3.Id], ShownRequestIds(queue)));
        queue.WaitForAssertion(() => Assert.False(queue.FindButton("Approve selected (1)").HasAttribute("disabled")));
        var stillTicked = (AngleSharp.Html.Dom.IHtmlInputElement)queue.Find($"input[aria-label='Select request {a3.Id} from {state.UserA3.FullName}']");
        Assert.True(stillTicked.IsChecked);
    }

    [Fact]
    public async Task SignInResolvedAfterTheFirstRender_StillGetsLiveUpdates()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var waiting = await TestState.AddPendingRequestAsync(
            database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, database.Clock.GetUtcNow().AddDays(-1));
        await using var ctx = DashboardContext.Create(database, null);
        var signIn = new PendingSignIn();
        ctx.Services.AddSingleton<AuthenticationStateProvider>(signIn);
        var queue = ctx.Render<QueuePage>();

        signIn.Complete(await TestPeople.SignInAsync(database.Services, state.DistrictA.StaffId));
        queue.WaitForAssertion(() => Assert.Equal([waiting.Id], ShownRequestIds(queue)));
        var submitted = await database.Get<AccessRequestService>().SubmitAsync(
            TestState.CallerFor(state.UserA3), new NewAccessRequest(state.SchoolRole.Id, state.A3.Id, "I enter attendance."));

        queue.WaitForAssertion(() => Assert.Equal([waiting.Id, submitted], ShownRequestIds(queue)));
    }

    /// <summary>A sign-in whose authentication state is still being resolved when the page first renders.</summary>
    private sealed class PendingSignIn : AuthenticationStateProvider
    {
        private readonly TaskCompletionSource<AuthenticationState> _state = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Task<AuthenticationState> GetAuthenticationStateAsync() => _state.Task;

        public void Complete(SignedInAccount account) =>
            _state.SetResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(DashboardContext.ClaimsOf(account), "Test"))));
    }

    /// <summary>The request ids of the grid's rows, in order, read from each row's "Open request …" button.</summary>
    private static List<int> ShownRequestIds(IRenderedComponent<IComponent> queue) =>
        queue.FindAll("tbody tr button[aria-label^='Open request ']")
            .Select(b => int.Parse(b.GetAttribute("aria-label")!.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture))
            .ToList();

    private static IElement RowOf(IRenderedComponent<IComponent> queue, int requestId) =>
        queue.Find($"tbody tr:has(button[aria-label^='Open request {requestId} from'])");
}
