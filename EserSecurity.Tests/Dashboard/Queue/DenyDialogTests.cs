using Bunit;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Dashboard.Components.Pages.Queue;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace EserSecurity.Tests.Dashboard.Queue;

public sealed class DenyDialogTests
{
    [Fact]
    public async Task Deny_OpensTheDialog_AndWithoutReasonShowsTheErrorAndStaysOpen()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var request = await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, database.Clock.GetUtcNow());
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var dialogs = ctx.Render<MudDialogProvider>();
        var panel = ctx.Render<RequestDetailPanel>(p => p.Add(c => c.RequestId, request.Id));
        panel.WaitForAssertion(() => Assert.False(panel.FindButton($"Deny request {request.Id}").HasAttribute("disabled")));

        panel.FindButton($"Deny request {request.Id}").Click();
        dialogs.WaitForAssertion(() => Assert.Contains($"Deny request #{request.Id}", dialogs.Find("[role=dialog]").TextContent));
        dialogs.FindButton("Deny request").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("Give a reason for the denial.", dialogs.Find("[role=dialog]").TextContent));
        Assert.Equal("true", dialogs.Find("[role=dialog] textarea").GetAttribute("aria-invalid"));
        Assert.Empty(panel.FindAll("[data-testid=decision-outcome]"));
        await using var db = await database.OpenAsync();
        Assert.Equal(AccessRequestStatus.PendingCoordinator, (await db.AccessRequests.SingleAsync()).Status);
    }

    [Fact]
    public async Task Deny_TypingAReasonAfterTheError_ClearsTheError()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var request = await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, database.Clock.GetUtcNow());
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var dialogs = ctx.Render<MudDialogProvider>();
        var panel = ctx.Render<RequestDetailPanel>(p => p.Add(c => c.RequestId, request.Id));
        panel.WaitForAssertion(() => Assert.False(panel.FindButton($"Deny request {request.Id}").HasAttribute("disabled")));
        panel.FindButton($"Deny request {request.Id}").Click();
        dialogs.WaitForAssertion(() => Assert.Equal("", dialogs.FindByLabel("Reason (the requester sees it)").TextContent));
        dialogs.FindButton("Deny request").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Give a reason for the denial.", dialogs.Find("[role=dialog]").TextContent));

        dialogs.Find("[role=dialog] textarea").Input("Not your school.");

        dialogs.WaitForAssertion(() => Assert.DoesNotContain("Give a reason for the denial.", dialogs.Find("[role=dialog]").TextContent));
        Assert.Equal("false", dialogs.Find("[role=dialog] textarea").GetAttribute("aria-invalid"));
    }

    [Fact]
    public async Task Deny_WithReason_DeniesTheRequestAndStoresTheReason()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var request = await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, database.Clock.GetUtcNow());
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var dialogs = ctx.Render<MudDialogProvider>();
        var panel = ctx.Render<RequestDetailPanel>(p => p.Add(c => c.RequestId, request.Id));
        panel.WaitForAssertion(() => Assert.False(panel.FindButton($"Deny request {request.Id}").HasAttribute("disabled")));
        panel.FindButton($"Deny request {request.Id}").Click();
        dialogs.WaitForAssertion(() => Assert.Equal("", dialogs.FindByLabel("Reason (the requester sees it)").TextContent));

        dialogs.Find("[role=dialog] textarea").Input("  Your duties do not include data entry.  ");
        dialogs.FindButton("Deny request").Click();

        panel.WaitForAssertion(() => Assert.Equal("Denied.", panel.Find("[data-testid=decision-outcome]").TextContent.Trim()));
        Assert.Empty(dialogs.FindAll("[role=dialog]"));
        panel.WaitForAssertion(() => Assert.Equal("Denied", panel.Find("[data-testid=request-status]").TextContent.Trim()));
        await using var db = await database.OpenAsync();
        var stored = await db.AccessRequests.Include(r => r.Steps).SingleAsync();
        Assert.Equal(AccessRequestStatus.Denied, stored.Status);
        var denial = Assert.Single(stored.Steps);
        Assert.Equal(AccessRequestAction.CoordinatorDenied, denial.Action);
        Assert.Equal("Your duties do not include data entry.", denial.Reason);
        Assert.Equal(state.DistrictA.Id, denial.ActorId);
        Assert.False(await db.AccessGrants.AnyAsync());
    }
}
