using Bunit;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Staff;
using EserSecurity.Dashboard.Components.Pages.Supervisor;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Dashboard.Queue;

public sealed class SupervisorQueueTests
{
    [Fact]
    public async Task Grid_ShowsIepRequestsACoordinatorApproved_AndNoOthers()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = database.Get<AccessRequestService>();
        await TestState.SignThisYearAsync(database, state.UserA3, state.UserB1);
        var awaiting = await SubmitAsync(service, state.UserA3, state.IepRole.Id, state.A3.Id);
        await service.DecideAsync(TestState.CallerFor(state.DistrictA), awaiting, Decision.Approve, null);
        await SubmitAsync(service, state.UserA1, state.IepRole.Id, state.A1.Id);
        var schoolRole = await SubmitAsync(service, state.UserA1, state.SchoolRole.Id, state.A1.Id);
        await service.DecideAsync(TestState.CallerFor(state.DistrictA), schoolRole, Decision.Approve, null);
        var otherSystem = await SubmitAsync(service, state.UserB1, state.IepRole.Id, state.B1.Id);
        await service.DecideAsync(TestState.CallerFor(state.DistrictB), otherSystem, Decision.Approve, null);
        await using var ctx = DashboardContext.Create(database, state.SupervisorA.Username);

        var queue = ctx.Render<SupervisorQueue>();

        queue.WaitForAssertion(() => Assert.Equal([awaiting], ShownRequestIds(queue)));
        Assert.Contains("IEP Forms Writer", queue.Find("tbody tr").TextContent);
        Assert.Contains(state.UserA3.FullName, queue.Find("tbody tr").TextContent);
    }

    [Fact]
    public async Task CoordinatorApprovingIepForms_AppearsLive_AndEndorsingFromThePanelGrantsIt()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = database.Get<AccessRequestService>();
        await TestState.SignThisYearAsync(database, state.UserA3);
        var id = await SubmitAsync(service, state.UserA3, state.IepRole.Id, state.A3.Id);
        await using var ctx = DashboardContext.Create(database, state.SupervisorA.Username);
        var queue = ctx.Render<SupervisorQueue>();
        queue.WaitForAssertion(() => Assert.Contains("Nothing waits for your endorsement", queue.Find("table").TextContent));

        await service.DecideAsync(TestState.CallerFor(state.DistrictA), id, Decision.Approve, null);
        queue.WaitForAssertion(() => Assert.Equal([id], ShownRequestIds(queue)));
        // Live refreshes arrive on other threads: find and click in one dispatcher turn, as a browser's event would.
        await queue.InvokeAsync(() => queue.FindButton($"Open request {id} from {state.UserA3.FullName}").Click());
        queue.WaitForAssertion(() => Assert.False(queue.FindButton($"Endorse request {id}").HasAttribute("disabled")));
        await queue.InvokeAsync(() => queue.FindButton($"Endorse request {id}").Click());

        queue.WaitForAssertion(() => Assert.Equal("Approved: IEP Forms Writer is granted.", queue.Find("[data-testid=decision-outcome]").TextContent.Trim()));
        queue.WaitForAssertion(() => Assert.Empty(ShownRequestIds(queue)));
        await using var db = await database.OpenAsync();
        Assert.Equal(AccessRequestStatus.Approved, (await db.AccessRequests.SingleAsync()).Status);
        Assert.Equal(state.SupervisorA.Id, (await db.AccessGrants.SingleAsync()).GrantedById);
    }

    [Fact]
    public async Task PersonWhoIsNotASupervisor_IsToldNothingWaits()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);

        var queue = ctx.Render<SupervisorQueue>();

        queue.WaitForAssertion(() => Assert.Contains("You are not a special education supervisor", queue.Markup));
        Assert.Empty(queue.FindAll("table"));
    }

    private static Task<int> SubmitAsync(AccessRequestService service, StaffMember requester, int roleId, int schoolId) =>
        service.SubmitAsync(TestState.CallerFor(requester), new NewAccessRequest(roleId, schoolId, "My duties need it."));

    private static List<int> ShownRequestIds(IRenderedComponent<SupervisorQueue> queue) =>
        queue.FindAll("tbody tr button[aria-label^='Open request ']")
            .Select(b => int.Parse(b.GetAttribute("aria-label")!.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
}
