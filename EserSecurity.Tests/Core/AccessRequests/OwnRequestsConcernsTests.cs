using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Changes;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Core.AccessRequests;

/// <summary>Which changes alter the list of a person's own requests.</summary>
public sealed class OwnRequestsConcernsTests
{
    [Fact]
    public async Task ChangesToARequestShown_ConcernTheRequestersList_ChangesToOthersDoNot()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var requests = database.Get<AccessRequestService>();
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());
        var own = await requests.SubmitAsync(TestState.CallerFor(state.UserA1), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "I enter evaluations."));
        var colleagues = await requests.SubmitAsync(TestState.CallerFor(state.UserA3), new NewAccessRequest(state.SchoolRole.Id, state.A3.Id, "I enter evaluations."));
        var shown = await database.Get<ApprovalQueue>().GetOwnRequestsAsync(TestState.CallerFor(state.UserA1));

        await requests.DecideAsync(TestState.CallerFor(state.DistrictA), own, Decision.Approve, null);
        await requests.WithdrawAsync(TestState.CallerFor(state.UserA3), colleagues);

        var ownChanges = await recorder.WaitForAsync(c => c.AccessRequestId == own && c.Kind != AccessChangeKind.RequestSubmitted, 2);
        var withdrawn = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.RequestWithdrawn);
        Assert.Equal([AccessChangeKind.RequestDecided, AccessChangeKind.GrantCreated], ownChanges.Select(c => c.Kind).Order());
        Assert.All(ownChanges, change => Assert.True(AccessRequestService.ConcernsOwnRequests(change, shown)));
        Assert.False(AccessRequestService.ConcernsOwnRequests(withdrawn, shown));
        Assert.False(AccessRequestService.ConcernsOwnRequests(ownChanges[0], null));
    }
}
