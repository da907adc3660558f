using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Home;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Core.Home;

/// <summary>Which changes move the figures of whose home page.</summary>
public sealed class HomeConcernsTests
{
    private static Caller As(StaffMember person) => TestState.CallerFor(person);

    private static Task<int> SubmitAsync(TestDatabase database, StaffMember person, int schoolId, TestState state) =>
        database.Get<AccessRequestService>().SubmitAsync(As(person), new NewAccessRequest(state.SchoolRole.Id, schoolId, "I enter evaluations."));

    [Fact]
    public async Task ARequestInTheScope_ConcernsACoordinatorsHome_OneElsewhereOnlyTheStateAdministrators()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var scopes = database.Get<ScopeService>();
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        var inA = await SubmitAsync(database, state.UserA1, state.A1.Id, state);
        var inB = await SubmitAsync(database, state.UserB1, state.B1.Id, state);

        var submittedInA = await recorder.WaitForAsync(c => c.AccessRequestId == inA);
        var submittedInB = await recorder.WaitForAsync(c => c.AccessRequestId == inB);
        var district = await scopes.GetScopeAsync(As(state.DistrictA));
        var admin = await scopes.GetScopeAsync(As(state.StateAdmin));
        var shown = await database.Get<HomeService>().GetSummaryAsync(As(state.DistrictA));
        Assert.True(HomeService.ConcernsSummary(submittedInA, district, shown));
        Assert.False(HomeService.ConcernsSummary(submittedInB, district, shown));
        Assert.True(HomeService.ConcernsSummary(submittedInB, admin, shown));
    }

    [Fact]
    public async Task ADecisionOnAnOpenRequestShown_ConcernsTheRequestersHome_AsDoTheirOwnActsAndTheCalendar()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var requests = database.Get<AccessRequestService>();
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());
        var own = await SubmitAsync(database, state.UserA1, state.A1.Id, state);
        var colleagues = await SubmitAsync(database, state.UserA3, state.A3.Id, state);
        var scope = await database.Get<ScopeService>().GetScopeAsync(As(state.UserA1));
        var shown = await database.Get<HomeService>().GetSummaryAsync(As(state.UserA1));

        await requests.DecideAsync(As(state.DistrictA), own, Decision.Deny, "Not for this school year.");
        await requests.DecideAsync(As(state.DistrictA), colleagues, Decision.Deny, "Not for this school year.");
        await database.Get<KeyDateService>().CreateAsync(As(state.StateAdmin), new KeyDateEdit(KeyDateKind.GoLive, "Go-live", new DateOnly(2027, 1, 4)));

        var submitted = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.RequestSubmitted && c.AccessRequestId == own);
        var ownDecided = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.RequestDecided && c.AccessRequestId == own);
        var colleaguesDecided = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.RequestDecided && c.AccessRequestId == colleagues);
        var calendar = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.KeyDatesChanged);
        Assert.True(HomeService.ConcernsSummary(submitted, scope, shown));
        Assert.True(HomeService.ConcernsSummary(ownDecided, scope, shown));
        Assert.False(HomeService.ConcernsSummary(colleaguesDecided, scope, shown));
        Assert.True(HomeService.ConcernsSummary(calendar, scope, shown));
        Assert.False(HomeService.ConcernsSummary(calendar, null, shown));
    }
}
