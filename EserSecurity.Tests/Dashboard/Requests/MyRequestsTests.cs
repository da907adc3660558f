using AngleSharp.Dom;
using Bunit;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Staff;
using EserSecurity.Dashboard.Components.Pages.Requests;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace EserSecurity.Tests.Dashboard.Requests;

public sealed class MyRequestsTests
{
    [Fact]
    public async Task Page_ListsOwnRequestsNewestFirst_WithStatusAndHistory()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = database.Get<AccessRequestService>();
        var pending = await SubmitAsync(database, state, state.UserA1, state.A1.Id);
        database.Clock.Advance(TimeSpan.FromHours(1));
        var denied = await SubmitAsync(database, state, state.UserA1, state.A2.Id);
        database.Clock.Advance(TimeSpan.FromHours(1));
        await service.DecideAsync(TestState.CallerFor(state.DistrictA), denied, Decision.Deny, "You work at Alpha Elementary.");
        var someoneElses = await SubmitAsync(database, state, state.UserA3, state.A3.Id);
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);

        var page = ctx.Render<MyRequests>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=own-request]").Count));
        var cards = page.FindAll("[data-testid=own-request]");
        Assert.Equal($"#{denied} · Student Data Entry at Alpha Middle", cards[0].QuerySelector("h2")!.TextContent.Trim());
        Assert.Equal($"#{pending} · Student Data Entry at Alpha Elementary", cards[1].QuerySelector("h2")!.TextContent.Trim());
        Assert.DoesNotContain($"#{someoneElses} ", page.Markup);

        Assert.Equal("Denied", StatusOf(page, denied));
        Assert.Equal(
            [$"Submitted by {state.UserA1.FullName}", $"Denied by coordinator by {state.DistrictA.FullName}"],
            HistoryOf(page, denied).Select(s => s[..s.IndexOf(',', StringComparison.Ordinal)]));
        Assert.Contains("“You work at Alpha Elementary.”", HistoryOf(page, denied)[1]);
        Assert.Empty(page.FindButtons($"Withdraw request {denied}"));

        Assert.Equal("Waiting for coordinator", StatusOf(page, pending));
        Assert.Single(HistoryOf(page, pending));
        Assert.Single(page.FindButtons($"Withdraw request {pending}"));
    }

    [Fact]
    public async Task Withdraw_AfterConfirming_WithdrawsTheRequest()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var id = await SubmitAsync(database, state, state.UserA1, state.A1.Id);
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);
        var dialogs = ctx.Render<MudDialogProvider>();
        var page = ctx.Render<MyRequests>();
        page.WaitForAssertion(() => Assert.False(page.FindButton($"Withdraw request {id}").HasAttribute("disabled")));

        page.FindButton($"Withdraw request {id}").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Withdraw your request for Student Data Entry at Alpha Elementary?",
            dialogs.Find("[role=dialog]").TextContent));
        dialogs.FindButton("Withdraw").Click();

        page.WaitForAssertion(() => Assert.Equal($"Request #{id} withdrawn.", page.Find("[data-testid=my-requests-message]").TextContent.Trim()));
        page.WaitForAssertion(() => Assert.Equal("Withdrawn", StatusOf(page, id)));
        Assert.Empty(page.FindButtons($"Withdraw request {id}"));
        Assert.Contains(HistoryOf(page, id), s => s.StartsWith($"Withdrawn by {state.UserA1.FullName}", StringComparison.Ordinal));
        await using var db = await database.OpenAsync();
        Assert.Equal(AccessRequestStatus.Withdrawn, (await db.AccessRequests.SingleAsync()).Status);
    }

    [Fact]
    public async Task Withdraw_KeepIt_LeavesTheRequestPending()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var id = await SubmitAsync(database, state, state.UserA1, state.A1.Id);
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);
        var dialogs = ctx.Render<MudDialogProvider>();
        var page = ctx.Render<MyRequests>();
        page.WaitForAssertion(() => Assert.False(page.FindButton($"Withdraw request {id}").HasAttribute("disabled")));

        page.FindButton($"Withdraw request {id}").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Withdraw your request for Student Data Entry at Alpha Elementary?", dialogs.Find("[role=dialog]").TextContent));
        dialogs.FindButton("Keep it").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[role=dialog]")));
        Assert.Equal("Waiting for coordinator", StatusOf(page, id));
        Assert.Empty(page.FindAll("[data-testid=my-requests-message]"));
        await using var db = await database.OpenAsync();
        Assert.Equal(AccessRequestStatus.PendingCoordinator, (await db.AccessRequests.SingleAsync()).Status);
    }

    [Fact]
    public async Task CoordinatorsDecision_UpdatesThePageLive()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var id = await SubmitAsync(database, state, state.UserA1, state.A1.Id);
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);
        var page = ctx.Render<MyRequests>();
        page.WaitForAssertion(() => Assert.Equal("Waiting for coordinator", StatusOf(page, id)));

        await database.Get<AccessRequestService>().DecideAsync(TestState.CallerFor(state.LocalA), id, Decision.Approve, null);

        page.WaitForAssertion(() => Assert.Equal("Approved", StatusOf(page, id)));
        Assert.Contains(HistoryOf(page, id), s => s.StartsWith($"Approved by coordinator by {state.LocalA.FullName}", StringComparison.Ordinal));
        Assert.Empty(page.FindButtons($"Withdraw request {id}"));
    }

    /// <summary>Submits a Student Data Entry request as the requester, at the school.</summary>
    private static Task<int> SubmitAsync(TestDatabase database, TestState state, StaffMember requester, int schoolId) =>
        database.Get<AccessRequestService>().SubmitAsync(TestState.CallerFor(requester),
            new NewAccessRequest(state.SchoolRole.Id, schoolId, "My duties need it."));

    private static IElement CardOf(IRenderedComponent<MyRequests> page, int id) =>
        page.FindAll("[data-testid=own-request]").Single(c => c.QuerySelector("h2")!.TextContent.Trim().StartsWith($"#{id} ", StringComparison.Ordinal));

    private static string StatusOf(IRenderedComponent<MyRequests> page, int id) =>
        CardOf(page, id).QuerySelector("[data-testid=request-status]")!.TextContent.Trim();

    private static List<string> HistoryOf(IRenderedComponent<MyRequests> page, int id) =>
        page.FindAll($"ol[aria-label='History of request {id}'] li")
            .Select(li => string.Join(' ', li.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)))
            .ToList();
}
