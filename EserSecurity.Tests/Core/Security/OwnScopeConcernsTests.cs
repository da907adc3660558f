using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Security;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Core.Security;

/// <summary>Which changes alter the signed-in person's own scope, and with it their navigation.</summary>
public sealed class OwnScopeConcernsTests
{
    [Fact]
    public async Task AnAssignmentNamingThePerson_ConcernsTheirScope_NotAnyoneElsesNorOtherChanges()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        await database.Get<CoordinatorService>().AssignDistrictCoordinatorAsync(TestState.CallerFor(state.StateAdmin), state.LeaA.Id, state.UserA3.Id);
        var request = await database.Get<AccessRequestService>().SubmitAsync(TestState.CallerFor(state.UserA3),
            new NewAccessRequest(state.SchoolRole.Id, state.A3.Id, "I enter evaluations."));

        var named = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.AssignmentChanged);
        var submitted = await recorder.WaitForAsync(c => c.AccessRequestId == request);
        Assert.True(ScopeService.ConcernsOwnScope(named, state.UserA3.Id));
        Assert.False(ScopeService.ConcernsOwnScope(named, state.UserA1.Id));
        Assert.False(ScopeService.ConcernsOwnScope(named, null));
        Assert.False(ScopeService.ConcernsOwnScope(submitted, state.UserA3.Id));
    }
}
