using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Core.AccessRequests;

/// <summary>Which published changes reach which open queue: the rules beside the queue reads, over real changes.</summary>
public sealed class QueueConcernsTests
{
    [Fact]
    public async Task RequestSubmittedAtAGroupSchool_ConcernsItsDistrictAndLocalCoordinators_NotAnotherSchoolSystem()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        await database.Get<AccessRequestService>().SubmitAsync(
            TestState.CallerFor(state.UserA1), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "I enter attendance."));
        var submitted = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.RequestSubmitted);

        Assert.True(ApprovalQueue.ConcernsCoordinatorQueue(submitted, await ScopeOf(database, state.DistrictA)));
        Assert.True(ApprovalQueue.ConcernsCoordinatorQueue(submitted, await ScopeOf(database, state.LocalA)));
        Assert.False(ApprovalQueue.ConcernsCoordinatorQueue(submitted, await ScopeOf(database, state.DistrictB)));
        Assert.False(ApprovalQueue.ConcernsCoordinatorQueue(submitted, null));
        // Nothing waits for the supervisor until a coordinator approves.
        Assert.False(ApprovalQueue.ConcernsSupervisorQueue(submitted, await ScopeOf(database, state.SupervisorA)));
    }

    [Fact]
    public async Task RequestSubmittedAtASchoolOutsideTheGroup_DoesNotConcernTheLocalCoordinator()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        await database.Get<AccessRequestService>().SubmitAsync(
            TestState.CallerFor(state.UserA3), new NewAccessRequest(state.SchoolRole.Id, state.A3.Id, "I enter attendance."));
        var submitted = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.RequestSubmitted);

        Assert.False(ApprovalQueue.ConcernsCoordinatorQueue(submitted, await ScopeOf(database, state.LocalA)));
        Assert.True(ApprovalQueue.ConcernsCoordinatorQueue(submitted, await ScopeOf(database, state.DistrictA)));
    }

    [Fact]
    public async Task IepRequestApproved_ConcernsTheSupervisorsQueue_AndEveryCoordinatorItWasRoutedTo()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var request = await TestState.AddPendingRequestAsync(
            database, state.UserA1, state.IepRole, state.LeaA, state.A1, database.Clock.GetUtcNow().AddDays(-1));
        await TestState.SignThisYearAsync(database, state.UserA1);
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        await database.Get<AccessRequestService>().DecideAsync(TestState.CallerFor(state.DistrictA), request.Id, Decision.Approve, null);
        var decided = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.RequestDecided);

        var supervisor = await ScopeOf(database, state.SupervisorA);
        Assert.True(ApprovalQueue.ConcernsSupervisorQueue(decided, supervisor));
        Assert.True(ApprovalQueue.ConcernsAwaitingCount(decided, supervisor));
        Assert.True(ApprovalQueue.ConcernsCoordinatorQueue(decided, await ScopeOf(database, state.LocalA)));
        Assert.False(ApprovalQueue.ConcernsSupervisorQueue(decided, await ScopeOf(database, state.DistrictB)));
        Assert.True(ApprovalQueue.ConcernsDetail(decided, request.Id));
        Assert.False(ApprovalQueue.ConcernsDetail(decided, request.Id + 1));
    }

    [Fact]
    public void AssignmentChange_ConcernsThePersonAssigned_AndQueuesOfThatSchoolSystem_NotOthers()
    {
        var district = Scope(staffMemberId: 7, district: [1]);
        var ownAssignment = Change(AccessChangeKind.AssignmentChanged, schoolSystemId: 2, subject: 7);
        var neighbours = Change(AccessChangeKind.AssignmentChanged, schoolSystemId: 1, subject: 8);
        var elsewhere = Change(AccessChangeKind.AssignmentChanged, schoolSystemId: 2, subject: 8);

        Assert.True(ApprovalQueue.ConcernsRouting(ownAssignment, district));
        Assert.True(ApprovalQueue.ConcernsRouting(neighbours, district));
        Assert.False(ApprovalQueue.ConcernsRouting(elsewhere, district));
        Assert.True(ApprovalQueue.ConcernsCoordinatorQueue(ownAssignment, district));
        Assert.False(ApprovalQueue.ConcernsCoordinatorQueue(elsewhere, district));
        // Routing concerns assignments only: a request in the same school system leaves the filters alone.
        Assert.False(ApprovalQueue.ConcernsRouting(Change(AccessChangeKind.RequestSubmitted, schoolSystemId: 1), district));
    }

    [Theory]
    [InlineData(AccessChangeKind.GrantCreated)]
    [InlineData(AccessChangeKind.AssuranceSigned)]
    [InlineData(AccessChangeKind.RoleCatalogChanged)]
    [InlineData(AccessChangeKind.KeyDatesChanged)]
    public void ChangesThatMoveNoRequest_DoNotConcernTheQueues(AccessChangeKind kind)
    {
        var everything = Scope(staffMemberId: 1, district: [1], supervised: [1]);
        var change = Change(kind, schoolSystemId: 1);

        Assert.False(ApprovalQueue.ConcernsCoordinatorQueue(change, everything));
        Assert.False(ApprovalQueue.ConcernsSupervisorQueue(change, everything));
        Assert.False(ApprovalQueue.ConcernsAwaitingCount(change, everything));
    }

    [Fact]
    public void AwaitingCount_OfSomeoneWhoNeitherCoordinatesNorSupervises_IsNeverConcerned()
    {
        var staff = Scope(staffMemberId: 3);

        Assert.False(ApprovalQueue.ConcernsAwaitingCount(Change(AccessChangeKind.RequestSubmitted, schoolSystemId: 1), staff));
    }

    private static async Task<AccessScope> ScopeOf(TestDatabase database, StaffMember person) =>
        await database.Get<ScopeService>().GetScopeAsync(TestState.CallerFor(person));

    internal static AccessScope Scope(int staffMemberId, int[]? district = null, int[]? localSchools = null, int[]? supervised = null,
        bool stateAdministrator = false) =>
        new(staffMemberId, null, stateAdministrator, (district ?? []).ToHashSet(), (localSchools ?? []).ToHashSet(), new HashSet<int>(),
            (supervised ?? []).ToHashSet());

    internal static AccessChange Change(AccessChangeKind kind, int? schoolSystemId = null, int? schoolId = null, int? subject = null) =>
        new(kind, schoolSystemId, schoolId, AccessRequestId: null, ActorId: null, DateTimeOffset.UnixEpoch, subject);
}
