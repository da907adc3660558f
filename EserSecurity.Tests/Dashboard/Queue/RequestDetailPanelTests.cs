using Bunit;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Grants;
using EserSecurity.Dashboard.Components.Pages.Queue;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Tests.Dashboard.Queue;

public sealed class RequestDetailPanelTests
{
    [Fact]
    public async Task Panel_ShowsRequesterJustificationCurrentRolesEarlierRequestsAndHistory()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = database.Get<AccessRequestService>();
        var earlier = await service.SubmitAsync(TestState.CallerFor(state.UserA1), new NewAccessRequest(state.SchoolRole.Id, state.A2.Id, "For Alpha Middle."));
        database.Clock.Advance(TimeSpan.FromHours(2));
        await service.DecideAsync(TestState.CallerFor(state.DistrictA), earlier, Decision.Deny, "You work at Alpha Elementary.");
        await using (var db = await database.OpenAsync())
        {
            db.AccessGrants.Add(new AccessGrant
            {
                StaffMemberId = state.UserA1.Id, EserRoleId = state.LeaRole.Id, SchoolSystemId = state.LeaA.Id,
                Origin = GrantOrigin.TasMigration, GrantedAt = database.Clock.GetUtcNow().AddYears(-1),
            });
            await db.SaveChangesAsync();
        }
        var id = await service.SubmitAsync(TestState.CallerFor(state.UserA1), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "I enter evaluations."));
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);

        var panel = ctx.Render<RequestDetailPanel>(p => p.Add(c => c.RequestId, id));

        panel.WaitForAssertion(() => Assert.Equal($"Request #{id}", panel.Find("h2").TextContent.Trim()));
        Assert.Equal($"{state.UserA1.FullName} (Staff ID {state.UserA1.StaffId})", FactOf(panel, "Requester"));
        Assert.Equal("Student Data Entry", FactOf(panel, "Role"));
        Assert.Equal("Alpha Elementary", FactOf(panel, "Where"));
        Assert.Contains("“I enter evaluations.”", panel.Markup);
        Assert.Equal("LEA Reports at Alpha Parish Schools", SectionItems(panel, "Current roles").Single());
        Assert.Equal($"#{earlier} Student Data Entry at Alpha Middle — Denied: “You work at Alpha Elementary.”", SectionItems(panel, "Earlier requests").Single());
        var history = panel.FindAll($"ol[aria-label='History of request {id}'] li");
        Assert.StartsWith($"Submitted by {state.UserA1.FullName}", Assert.Single(history).TextContent.Trim());
        Assert.Equal("Waiting for coordinator", panel.Find("[data-testid=request-status]").TextContent.Trim());
    }

    [Fact]
    public async Task ApproveIepForms_ForARequesterWhoHasNotSigned_SaysSoAndLinksTheirAssuranceStatus()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var request = await TestState.AddPendingRequestAsync(database, state.UserA1, state.IepRole, state.LeaA, state.A1, database.Clock.GetUtcNow());
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var panel = ctx.Render<RequestDetailPanel>(p => p.Add(c => c.RequestId, request.Id));
        panel.WaitForAssertion(() => Assert.False(panel.FindButton($"Approve request {request.Id}").HasAttribute("disabled")));

        panel.FindButton($"Approve request {request.Id}").Click();

        panel.WaitForAssertion(() => Assert.Contains("has not signed the 2026–27 confidentiality assurance", panel.Find("[data-testid=decision-outcome]").TextContent));
        var link = panel.Find("[data-testid=decision-outcome] a");
        Assert.Equal("See their assurance status", link.TextContent.Trim());
        Assert.Equal($"assurance/status?search={state.UserA1.StaffId}", link.GetAttribute("href"));
        Assert.Equal("Waiting for coordinator", panel.Find("[data-testid=request-status]").TextContent.Trim());
    }

    [Fact]
    public async Task Approve_GrantsTheRole_AndSaysSo()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var request = await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, database.Clock.GetUtcNow());
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var panel = ctx.Render<RequestDetailPanel>(p => p.Add(c => c.RequestId, request.Id));
        panel.WaitForAssertion(() => Assert.False(panel.FindButton($"Approve request {request.Id}").HasAttribute("disabled")));

        panel.FindButton($"Approve request {request.Id}").Click();

        panel.WaitForAssertion(() => Assert.Equal("Approved: Student Data Entry is granted.", panel.Find("[data-testid=decision-outcome]").TextContent.Trim()));
        panel.WaitForAssertion(() => Assert.Equal("Approved", panel.Find("[data-testid=request-status]").TextContent.Trim()));
        Assert.Empty(panel.FindButtons($"Approve request {request.Id}"));
        Assert.Empty(panel.FindButtons($"Deny request {request.Id}"));
        await using var db = await database.OpenAsync();
        Assert.Equal(AccessRequestStatus.Approved, (await db.AccessRequests.SingleAsync()).Status);
        Assert.Equal(state.UserA1.Id, (await db.AccessGrants.SingleAsync()).StaffMemberId);
    }

    [Fact]
    public async Task DecidedByAnotherCoordinator_PanelUpdatesLive_AndOffersNoDecision()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var request = await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, database.Clock.GetUtcNow());
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var panel = ctx.Render<RequestDetailPanel>(p => p.Add(c => c.RequestId, request.Id));
        panel.WaitForAssertion(() => Assert.False(panel.FindButton($"Approve request {request.Id}").HasAttribute("disabled")));

        await database.Get<AccessRequestService>().DecideAsync(TestState.CallerFor(state.LocalA), request.Id, Decision.Approve, null);

        panel.WaitForAssertion(() => Assert.Equal("Approved", panel.Find("[data-testid=request-status]").TextContent.Trim()));
        Assert.Empty(panel.FindButtons($"Approve request {request.Id}"));
        Assert.Empty(panel.FindButtons($"Deny request {request.Id}"));
        Assert.Contains($"Approved by coordinator by {state.LocalA.FullName}", panel.Find($"ol[aria-label='History of request {request.Id}']").TextContent);
        await AssertDecidedOnceByAsync(database, request.Id, state.LocalA.Id);
    }

    [Fact]
    public async Task Approve_BeforeAnotherCoordinatorsDecisionArrives_SaysWhoDecidedFirst_AndStoresNoSecondDecision()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var request = await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, database.Clock.GetUtcNow());
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        // The panel has not heard of the other decision yet: the window between its commit and the change's delivery.
        ctx.Services.AddSingleton<IAccessChangeFeed>(new UndeliveredChangeFeed());
        var panel = ctx.Render<RequestDetailPanel>(p => p.Add(c => c.RequestId, request.Id));
        panel.WaitForAssertion(() => Assert.False(panel.FindButton($"Approve request {request.Id}").HasAttribute("disabled")));
        await database.Get<AccessRequestService>().DecideAsync(TestState.CallerFor(state.LocalA), request.Id, Decision.Approve, null);

        panel.FindButton($"Approve request {request.Id}").Click();

        panel.WaitForAssertion(() => Assert.StartsWith($"Already approved by {state.LocalA.FullName} at ",
            panel.Find("[data-testid=decision-outcome]").TextContent.Trim()));
        panel.WaitForAssertion(() => Assert.Equal("Approved", panel.Find("[data-testid=request-status]").TextContent.Trim()));
        Assert.Empty(panel.FindButtons($"Approve request {request.Id}"));
        await AssertDecidedOnceByAsync(database, request.Id, state.LocalA.Id);
    }

    private static async Task AssertDecidedOnceByAsync(TestDatabase database, int requestId, int coordinatorId)
    {
        await using var db = await database.OpenAsync();
        var decision = await db.AccessRequestSteps.SingleAsync(s => s.AccessRequestId == requestId && s.Action != AccessRequestAction.Submitted);
        Assert.Equal(AccessRequestAction.CoordinatorApproved, decision.Action);
        Assert.Equal(coordinatorId, decision.ActorId);
        Assert.Equal(coordinatorId, (await db.AccessGrants.SingleAsync(g => g.AccessRequestId == requestId)).GrantedById);
    }

    private static string FactOf(IRenderedComponent<RequestDetailPanel> panel, string term) =>
        panel.FindAll("dl.facts dt").Single(dt => dt.TextContent.Trim() == term).NextElementSibling!.TextContent.Trim();

    /// <summary>The list items under the panel's h3 with this heading.</summary>
    private static List<string> SectionItems(IRenderedComponent<RequestDetailPanel> panel, string heading) =>
        panel.FindAll("h3").Single(h => h.TextContent.Trim() == heading).NextElementSibling!
            .QuerySelectorAll("li").Select(li => li.TextContent.Trim()).ToList();

    private sealed class UndeliveredChangeFeed : IAccessChangeFeed
    {
        public long Version { get; private set; }

        public void Publish(AccessChange change) => Version++;

        public IDisposable Subscribe(Func<AccessChange, Task> handler) => new Unsubscribe();

        private sealed class Unsubscribe : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }
}
