using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Notifications;
using EserSecurity.Core.Security;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Coordinators;

/// <summary>
/// Deputies: who may name one, approval for a deputy from outside the coordinators and supervisors, the deputy's scope
/// starting and ending on its dates, "as deputy for" on each decision, notices, cancelling, and the tree.
/// </summary>
public sealed class DeputyServiceTests
{
    private static DateOnly Today(TestDatabase database) => DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime);

    private static Task<int> SubmitAtA1Async(TestDatabase database, TestState state, int? roleId = null) =>
        database.Get<AccessRequestService>().SubmitAsync(TestState.CallerFor(state.UserA1),
            new NewAccessRequest(roleId ?? state.SchoolRole.Id, state.A1.Id, "I enter evaluations."));

    private static async Task<int> QueueCountAsync(TestDatabase database, EserSecurity.Core.Staff.StaffMember reader) =>
        (await database.Get<ApprovalQueue>().GetCoordinatorQueueAsync(TestState.CallerFor(reader), new QueueQuery())).TotalCount;

    [Fact]
    public async Task ADeputyFromOutsideTheCoordinators_WaitsForApproval_ThenDecidesOnTheirDatesOnly_AsDeputyForTheAbsentPerson()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var deputies = database.Get<DeputyService>();
        var first = Today(database).AddDays(2);
        var id = await deputies.NameAsync(TestState.CallerFor(state.LocalA), new NewDeputy(state.LocalA.Id, state.UserA3.Id, state.LeaA.Id, first, first.AddDays(4), "Away at a conference."));
        var requestId = await SubmitAtA1Async(database, state);

        var awaiting = (await deputies.ListAsync(TestState.CallerFor(state.DistrictA))).Single();
        await deputies.ApproveAsync(TestState.CallerFor(state.DistrictA), id);
        var beforeFirstDay = await QueueCountAsync(database, state.UserA3);
        await Assert.ThrowsAsync<ScopeDeniedException>(() => database.Get<AccessRequestService>().DecideAsync(TestState.CallerFor(state.UserA3), requestId, Decision.Approve, null));
        database.Clock.Advance(TimeSpan.FromDays(2));
        var scope = await database.Get<ScopeService>().GetScopeAsync(TestState.CallerFor(state.UserA3));
        var onFirstDay = await QueueCountAsync(database, state.UserA3);
        var outcome = await database.Get<AccessRequestService>().DecideAsync(TestState.CallerFor(state.UserA3), requestId, Decision.Approve, null);
        database.Clock.Advance(TimeSpan.FromDays(5));
        var afterLastDay = await database.Get<ScopeService>().GetScopeAsync(TestState.CallerFor(state.UserA3));

        Assert.Equal((DeputyState.AwaitingApproval, true), (awaiting.State, awaiting.CanApprove));
        Assert.Equal((0, 1), (beforeFirstDay, onFirstDay));
        Assert.Equal((true, false, false), (scope.DecidesRequests, scope.IsCoordinator, scope.CanViewSchoolSystem(state.LeaA.Id)));
        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.False(afterLastDay.DecidesRequests);
        var detail = await database.Get<ApprovalQueue>().GetDetailAsync(TestState.CallerFor(state.DistrictA), requestId);
        Assert.Equal((state.UserA3.FullName, state.LocalA.FullName), (detail.History[^1].ActorName, detail.History[^1].OnBehalfOfName));
        await using var db = await database.OpenAsync();
        var audit = await db.AuditEvents.SingleAsync(e => e.Action == "AccessRequest.CoordinatorApproved");
        Assert.Contains($"\"asDeputyFor\":{state.LocalA.Id}", audit.After);
        Assert.Equal(["Deputyship.Named", "Deputyship.Approved"], await db.AuditEvents.Where(e => e.EntityType == "Deputyship").OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync());
    }

    [Fact]
    public async Task ACoordinatorAsDeputy_IsInForceAtOnce_AndEndorsesForTheAbsentSupervisor_ButNeverWhatTheyApproved()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await TestState.SignThisYearAsync(database, state.UserA1);
        var deputies = database.Get<DeputyService>();
        await deputies.NameAsync(TestState.CallerFor(state.SupervisorA), new NewDeputy(state.SupervisorA.Id, state.DistrictA.Id, state.LeaA.Id, Today(database), Today(database).AddDays(6)));
        var requests = database.Get<AccessRequestService>();
        var approvedByLocal = await SubmitAtA1Async(database, state, state.IepRole.Id);
        await requests.DecideAsync(TestState.CallerFor(state.LocalA), approvedByLocal, Decision.Approve, null);

        var supervisorQueue = await database.Get<ApprovalQueue>().GetSupervisorQueueAsync(TestState.CallerFor(state.DistrictA), new QueueQuery());
        var endorsed = await requests.EndorseAsync(TestState.CallerFor(state.DistrictA), approvedByLocal, Decision.Approve, null);

        Assert.Equal([approvedByLocal], supervisorQueue.Items.Select(r => r.Id));
        Assert.True(endorsed.Succeeded, endorsed.Message);
        await using var db = await database.OpenAsync();
        var step = await db.AccessRequestSteps.SingleAsync(s => s.AccessRequestId == approvedByLocal && s.Action == AccessRequestAction.SupervisorEndorsed);
        Assert.Equal((state.DistrictA.Id, state.SupervisorA.Id), (step.ActorId!.Value, step.OnBehalfOfId!.Value));
    }

    [Fact]
    public async Task ADeputy_CannotDecideTheAbsentPersonsOwnRequest()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await database.Get<DeputyService>().NameAsync(TestState.CallerFor(state.DistrictA),
            new NewDeputy(state.LocalA.Id, state.UserA3.Id, state.LeaA.Id, Today(database), Today(database).AddDays(3)));
        var own = await database.Get<AccessRequestService>().SubmitAsync(TestState.CallerFor(state.LocalA), new NewAccessRequest(state.SchoolRole.Id, state.A2.Id, "I cover the office."));

        var refused = await Assert.ThrowsAsync<AccessRequestRefusedException>(() =>
            database.Get<AccessRequestService>().DecideAsync(TestState.CallerFor(state.UserA3), own, Decision.Approve, null));

        Assert.Equal($"This is {state.LocalA.FullName}'s own request, and you decide it only as their deputy: another coordinator must decide it.", refused.Message);
    }

    [Fact]
    public async Task ARequestSubmittedWhileTheDeputyIsInForce_TellsTheDeputyToo()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await database.Get<DeputyService>().NameAsync(TestState.CallerFor(state.DistrictA),
            new NewDeputy(state.LocalA.Id, state.UserA3.Id, state.LeaA.Id, Today(database), Today(database)));

        await SubmitAtA1Async(database, state);

        await using var db = await database.OpenAsync();
        var told = await db.Notifications.Where(n => n.Kind == NotificationKind.RequestWaiting).Select(n => n.RecipientId).OrderBy(id => id).ToListAsync();
        Assert.Equal(new[] { state.DistrictA.Id, state.LocalA.Id, state.UserA3.Id }.Order(), told);
        var named = await db.Notifications.SingleAsync(n => n.Kind == NotificationKind.Deputy && n.RecipientId == state.UserA3.Id);
        Assert.Equal($"You are {state.LocalA.FullName}'s deputy in {state.LeaA.Name} from {Today(database):MMMM d, yyyy} to {Today(database):MMMM d, yyyy}: their requests reach your queue on those days", named.Title);
    }

    [Fact]
    public async Task NamingIsRefused_WithAMessage_ForPastDays_TooLongARange_AnOverlap_AnotherSchoolSystemsStaff_AndSomeoneWithoutRequests()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var deputies = database.Get<DeputyService>();
        var local = TestState.CallerFor(state.LocalA);
        var today = Today(database);
        await deputies.NameAsync(local, new NewDeputy(state.LocalA.Id, state.DistrictA.Id, state.LeaA.Id, today.AddDays(10), today.AddDays(20)));

        async Task<string> RefusedAsync(Caller caller, NewDeputy input) => (await Assert.ThrowsAsync<DeputyRefusedException>(() => deputies.NameAsync(caller, input))).Message;

        Assert.Contains("has passed", await RefusedAsync(local, new NewDeputy(state.LocalA.Id, state.UserA3.Id, state.LeaA.Id, today.AddDays(-1), today)));
        Assert.Contains("at most 180 days", await RefusedAsync(local, new NewDeputy(state.LocalA.Id, state.UserA3.Id, state.LeaA.Id, today, today.AddDays(180))));
        Assert.Contains("comes before the first day", await RefusedAsync(local, new NewDeputy(state.LocalA.Id, state.UserA3.Id, state.LeaA.Id, today.AddDays(2), today.AddDays(1))));
        Assert.Equal(
            $"{state.DistrictA.FullName} already deputizes for {state.LocalA.FullName} from {today.AddDays(10):MMMM d, yyyy} to {today.AddDays(20):MMMM d, yyyy}. Choose days outside that range, or cancel it first.",
            await RefusedAsync(local, new NewDeputy(state.LocalA.Id, state.UserA3.Id, state.LeaA.Id, today.AddDays(20), today.AddDays(25))));
        Assert.Contains("is not staff of Alpha Parish Schools", await RefusedAsync(local, new NewDeputy(state.LocalA.Id, state.UserB1.Id, state.LeaA.Id, today, today)));
        Assert.Contains("is not a coordinator or supervisor of Alpha Parish Schools", await RefusedAsync(TestState.CallerFor(state.DistrictA),
            new NewDeputy(state.UserA1.Id, state.UserA3.Id, state.LeaA.Id, today, today)));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => deputies.NameAsync(TestState.CallerFor(state.UserA1), new NewDeputy(state.LocalA.Id, state.UserA3.Id, state.LeaA.Id, today, today)));
        await using var db = await database.OpenAsync();
        Assert.Equal(1, await db.Deputyships.CountAsync());
    }

    [Fact]
    public async Task CancellingADeputyInForce_EndsItToday_AndTheDeputyCannotApproveThemselves()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var deputies = database.Get<DeputyService>();
        var pending = await deputies.NameAsync(TestState.CallerFor(state.SupervisorA),
            new NewDeputy(state.SupervisorA.Id, state.UserA1.Id, state.LeaA.Id, Today(database).AddDays(30), Today(database).AddDays(31)));
        var inForce = await deputies.NameAsync(TestState.CallerFor(state.LocalA),
            new NewDeputy(state.LocalA.Id, state.DistrictA.Id, state.LeaA.Id, Today(database), Today(database).AddDays(9)));
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());
        var before = await database.Get<ScopeService>().GetScopeAsync(TestState.CallerFor(state.DistrictA));

        await deputies.CancelAsync(TestState.CallerFor(state.LocalA), inForce);
        var after = await database.Get<ScopeService>().GetScopeAsync(TestState.CallerFor(state.DistrictA));

        Assert.Equal(state.LocalA.Id, before.Covers.Single().AbsentId);
        Assert.Empty(after.Covers);
        await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.AssignmentChanged && c.SubjectStaffMemberId == state.DistrictA.Id);
        await Assert.ThrowsAsync<DeputyRefusedException>(() => deputies.CancelAsync(TestState.CallerFor(state.LocalA), inForce));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => deputies.ApproveAsync(TestState.CallerFor(state.UserA1), pending));
        Assert.Equal([pending], (await deputies.ListAsync(TestState.CallerFor(state.DistrictA))).Select(r => r.Id));
    }

    [Fact]
    public async Task TheTree_ShowsTodaysDeputies()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await database.Get<DeputyService>().NameAsync(TestState.CallerFor(state.LocalA),
            new NewDeputy(state.LocalA.Id, state.DistrictA.Id, state.LeaA.Id, Today(database), Today(database).AddDays(3)));
        await database.Get<DeputyService>().NameAsync(TestState.CallerFor(state.SupervisorA),
            new NewDeputy(state.SupervisorA.Id, state.DistrictA.Id, state.LeaA.Id, Today(database).AddDays(5), Today(database).AddDays(6)));

        var node = (await database.Get<CoordinatorService>().GetSchoolSystemsAsync(TestState.CallerFor(state.DistrictA))).Single(n => n.Id == state.LeaA.Id);

        Assert.Equal([new CurrentDeputy(state.LocalA.FullName, state.DistrictA.FullName, Today(database).AddDays(3))], node.Deputies!);
    }
}
