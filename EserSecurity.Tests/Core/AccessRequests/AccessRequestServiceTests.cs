using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Security;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.AccessRequests;

public sealed class AccessRequestServiceTests
{
    private static async Task<(TestDatabase Db, TestState State, AccessRequestService Service)> ArrangeAsync()
    {
        var db = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(db);
        return (db, state, db.Get<AccessRequestService>());
    }

    private static Caller As(Func<TestState, EserSecurity.Core.Staff.StaffMember> who, TestState state) => TestState.CallerFor(who(state));

    [Fact]
    public async Task Submit_SchoolRole_IsPendingCoordinator_WithStepAuditAndChange()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        var id = await service.SubmitAsync(As(s => s.UserA1, state), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "I enter evaluations."));

        await using var db = await database.OpenAsync();
        var request = await db.AccessRequests.Include(r => r.Steps).SingleAsync(r => r.Id == id);
        Assert.Equal(AccessRequestStatus.PendingCoordinator, request.Status);
        Assert.Equal(state.LeaA.Id, request.SchoolSystemId);
        Assert.Equal(AccessRequestAction.Submitted, Assert.Single(request.Steps).Action);
        Assert.Equal("AccessRequest.Submitted", (await db.AuditEvents.SingleAsync()).Action);
        await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.RequestSubmitted && c.AccessRequestId == id && c.SchoolId == state.A1.Id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Submit_WithoutJustification_IsRefused(string justification)
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;

        var error = await Assert.ThrowsAsync<AccessRequestRefusedException>(() =>
            service.SubmitAsync(As(s => s.UserA1, state), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, justification)));

        Assert.Contains("justification is required", error.Message);
    }

    [Fact]
    public async Task Submit_JustificationOverLimit_IsRefusedNamingTheLimit()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;

        var error = await Assert.ThrowsAsync<AccessRequestRefusedException>(() => service.SubmitAsync(As(s => s.UserA1, state),
            new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, new string('x', AccessRequest.JustificationMaxLength + 1))));

        Assert.Contains(AccessRequest.JustificationMaxLength.ToString(), error.Message);
    }

    [Fact]
    public async Task Submit_SchoolOfAnotherSchoolSystem_IsRefused()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;

        await Assert.ThrowsAsync<AccessRequestRefusedException>(() =>
            service.SubmitAsync(As(s => s.UserA1, state), new NewAccessRequest(state.SchoolRole.Id, state.B1.Id, "Because.")));
    }

    [Fact]
    public async Task Submit_SchoolSystemRoleAtASchool_IsRefused()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;

        var error = await Assert.ThrowsAsync<AccessRequestRefusedException>(() =>
            service.SubmitAsync(As(s => s.UserA1, state), new NewAccessRequest(state.LeaRole.Id, state.A1.Id, "Reports.")));

        Assert.Contains("whole school system", error.Message);
    }

    [Fact]
    public async Task Submit_SecondWhilePending_IsRefusedNamingTheExistingRequest()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        var first = await service.SubmitAsync(As(s => s.UserA1, state), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "First."));

        var error = await Assert.ThrowsAsync<AccessRequestRefusedException>(() =>
            service.SubmitAsync(As(s => s.UserA1, state), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "Again.")));

        Assert.Contains($"#{first}", error.Message);
        Assert.Contains("still pending", error.Message);
    }

    [Fact]
    public async Task Submit_WhileGrantIsActive_IsRefusedNamingTheGrant()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        var id = await service.SubmitAsync(As(s => s.UserA1, state), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "First."));
        await service.DecideAsync(As(s => s.DistrictA, state), id, Decision.Approve, null);

        var error = await Assert.ThrowsAsync<AccessRequestRefusedException>(() =>
            service.SubmitAsync(As(s => s.UserA1, state), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "Again.")));

        Assert.Contains("already hold Student Data Entry at Alpha Elementary", error.Message);
    }

    [Fact]
    public async Task Approve_NonIepRole_CreatesGrantFromTheRequest()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        var id = await service.SubmitAsync(As(s => s.UserA1, state), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "Duties."));

        var outcome = await service.DecideAsync(As(s => s.LocalA, state), id, Decision.Approve, null);

        Assert.True(outcome.Succeeded);
        Assert.Equal(AccessRequestStatus.Approved, outcome.Status);
        await using var db = await database.OpenAsync();
        var grant = await db.AccessGrants.SingleAsync();
        Assert.Equal((state.UserA1.Id, state.SchoolRole.Id, state.A1.Id, GrantOrigin.Request, id, state.LocalA.Id),
            (grant.StaffMemberId, grant.EserRoleId, grant.SchoolId, grant.Origin, grant.AccessRequestId, grant.GrantedById));
        Assert.Equal(["AccessRequest.Submitted", "AccessRequest.CoordinatorApproved", "AccessGrant.Created"],
            await db.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync());
        Assert.NotNull((await db.AccessRequests.SingleAsync()).ClosedAt);
    }

    [Fact]
    public async Task Approve_IepRole_WaitsForSupervisor_ThenEndorsementCreatesGrant()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        await TestState.SignThisYearAsync(database, state.UserA1);
        var id = await service.SubmitAsync(As(s => s.UserA1, state), new NewAccessRequest(state.IepRole.Id, state.A1.Id, "I write IEPs."));

        var first = await service.DecideAsync(As(s => s.DistrictA, state), id, Decision.Approve, null);
        await using (var db = await database.OpenAsync())
        {
            Assert.Equal(AccessRequestStatus.PendingSupervisor, first.Status);
            Assert.Equal(0, await db.AccessGrants.CountAsync());
        }
        var supervisorQueue = await database.Get<ApprovalQueue>().GetSupervisorQueueAsync(As(s => s.SupervisorA, state), new QueueQuery());
        Assert.Equal(id, Assert.Single(supervisorQueue.Items).Id);

        var endorsed = await service.EndorseAsync(As(s => s.SupervisorA, state), id, Decision.Approve, null);

        Assert.Equal(AccessRequestStatus.Approved, endorsed.Status);
        await using var after = await database.OpenAsync();
        Assert.Equal(id, (await after.AccessGrants.SingleAsync()).AccessRequestId);
        Assert.Equal([AccessRequestAction.Submitted, AccessRequestAction.CoordinatorApproved, AccessRequestAction.SupervisorEndorsed],
            await after.AccessRequestSteps.OrderBy(s => s.Id).Select(s => s.Action).ToListAsync());
    }

    [Fact]
    public async Task SupervisorDenies_IepRequest_NoGrantAndReasonKept()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        await TestState.SignThisYearAsync(database, state.UserA1);
        var id = await service.SubmitAsync(As(s => s.UserA1, state), new NewAccessRequest(state.IepRole.Id, state.A1.Id, "I write IEPs."));
        await service.DecideAsync(As(s => s.DistrictA, state), id, Decision.Approve, null);

        var outcome = await service.EndorseAsync(As(s => s.SupervisorA, state), id, Decision.Deny, "Not a case manager.");

        Assert.Equal(AccessRequestStatus.Denied, outcome.Status);
        await using var db = await database.OpenAsync();
        Assert.Equal(0, await db.AccessGrants.CountAsync());
        Assert.Equal("Not a case manager.", (await db.AccessRequestSteps.OrderBy(s => s.Id).LastAsync()).Reason);
    }

    [Fact]
    public async Task Deny_WithoutReason_IsRefused()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        var id = await service.SubmitAsync(As(s => s.UserA1, state), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "Duties."));

        await Assert.ThrowsAsync<AccessRequestRefusedException>(() => service.DecideAsync(As(s => s.DistrictA, state), id, Decision.Deny, " "));
    }

    [Fact]
    public async Task Withdraw_ByRequester_StopsTheRequest_AndLaterDecisionSaysWithdrawn()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        var id = await service.SubmitAsync(As(s => s.UserA1, state), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "Duties."));

        var withdrawn = await service.WithdrawAsync(As(s => s.UserA1, state), id);
        var late = await service.DecideAsync(As(s => s.DistrictA, state), id, Decision.Approve, null);

        Assert.Equal(AccessRequestStatus.Withdrawn, withdrawn.Status);
        Assert.False(late.Succeeded);
        Assert.StartsWith($"Already withdrawn by {state.UserA1.FullName}", late.Message);
    }

    [Fact]
    public async Task Withdraw_SomeoneElsesRequest_IsDenied()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        var id = await service.SubmitAsync(As(s => s.UserA1, state), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "Duties."));

        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.WithdrawAsync(As(s => s.UserA3, state), id));
    }

    [Fact]
    public async Task SecondDecision_IsRefused_SayingWhoDecidedAndWhen()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        var id = await service.SubmitAsync(As(s => s.UserA1, state), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "Duties."));
        await service.DecideAsync(As(s => s.LocalA, state), id, Decision.Approve, null);

        var second = await service.DecideAsync(As(s => s.DistrictA, state), id, Decision.Deny, "No.");

        Assert.False(second.Succeeded);
        Assert.Equal($"Already approved by {state.LocalA.FullName} at Nov 28, 2026 3:00 PM UTC.", second.Message);
    }

    [Theory]
    [InlineData("DistrictB", "A1")]
    [InlineData("LocalA", "A3")]
    [InlineData("LocalA", "LEA")]
    [InlineData("SupervisorA", "A1")]
    [InlineData("StateAdmin", "A1")]
    [InlineData("UserA3", "A1")]
    public async Task Decide_OutsideRouting_IsDeniedEvenByDirectCall(string who, string where)
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        var requestId = where switch
        {
            "A1" => await service.SubmitAsync(As(s => s.UserA1, state), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "Duties.")),
            "A3" => await service.SubmitAsync(As(s => s.UserA3, state), new NewAccessRequest(state.SchoolRole.Id, state.A3.Id, "Duties.")),
            _ => await service.SubmitAsync(As(s => s.UserA1, state), new NewAccessRequest(state.LeaRole.Id, null, "Reports.")),
        };
        var caller = TestState.CallerFor(who switch
        {
            "DistrictB" => state.DistrictB,
            "LocalA" => state.LocalA,
            "SupervisorA" => state.SupervisorA,
            "StateAdmin" => state.StateAdmin,
            _ => state.UserA3,
        });

        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.DecideAsync(caller, requestId, Decision.Approve, null));
        // State administrators and the school system's supervisor may read the request; nobody else outside routing may.
        if (who is not ("StateAdmin" or "SupervisorA"))
        {
            await Assert.ThrowsAsync<ScopeDeniedException>(() => database.Get<ApprovalQueue>().GetDetailAsync(caller, requestId));
        }
        else
        {
            Assert.False((await database.Get<ApprovalQueue>().GetDetailAsync(caller, requestId)).CanDecide);
        }
        await using var db = await database.OpenAsync();
        Assert.Equal(AccessRequestStatus.PendingCoordinator, (await db.AccessRequests.SingleAsync()).Status);
    }

    [Fact]
    public async Task Endorse_BySupervisorOfAnotherSchoolSystem_IsDenied()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        await TestState.SignThisYearAsync(database, state.UserA1);
        var id = await service.SubmitAsync(As(s => s.UserA1, state), new NewAccessRequest(state.IepRole.Id, state.A1.Id, "I write IEPs."));
        await service.DecideAsync(As(s => s.DistrictA, state), id, Decision.Approve, null);

        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.EndorseAsync(As(s => s.DistrictA, state), id, Decision.Approve, null));
    }

    [Fact]
    public async Task TwentyParallelDecisions_StoreExactlyOne()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        var id = await service.SubmitAsync(As(s => s.UserA1, state), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "Duties."));
        var deciders = new[] { state.DistrictA, state.LocalA };

        using var start = new ManualResetEventSlim(false);
        var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return await service.DecideAsync(TestState.CallerFor(deciders[i % 2]), id,
                i % 3 == 0 ? Decision.Deny : Decision.Approve, i % 3 == 0 ? "Race." : null);
        })).ToList();
        start.Set();
        var outcomes = await Task.WhenAll(attempts);

        var winner = Assert.Single(outcomes, o => o.Succeeded);
        Assert.All(outcomes.Where(o => !o.Succeeded), o => Assert.StartsWith("Already", o.Message));
        await using var db = await database.OpenAsync();
        Assert.Equal(2, await db.AccessRequestSteps.CountAsync(s => s.AccessRequestId == id));
        Assert.Equal(winner.Status == AccessRequestStatus.Approved ? 1 : 0, await db.AccessGrants.CountAsync());
        Assert.True((await database.Get<AuditLog>().VerifyAsync(TestState.CallerFor(state.StateAdmin))).IsIntact);
    }

    [Fact]
    public async Task BulkApprove_ReportsApprovedAndAlreadyDecidedSeparately()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        var first = await service.SubmitAsync(As(s => s.UserA1, state), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "One."));
        var second = await service.SubmitAsync(As(s => s.UserA3, state), new NewAccessRequest(state.SchoolRole.Id, state.A3.Id, "Two."));
        var third = await service.SubmitAsync(As(s => s.UserA1, state), new NewAccessRequest(state.SchoolRole.Id, state.A2.Id, "Three."));
        await service.DecideAsync(As(s => s.LocalA, state), third, Decision.Deny, "Wrong school.");
        var progress = new List<int>();

        var summary = await service.BulkApproveAsync(As(s => s.DistrictA, state), [first, second, third], new SynchronousProgress(progress));

        Assert.Equal(2, summary.Approved);
        var refused = Assert.Single(summary.NotApproved);
        Assert.Equal(third, refused.RequestId);
        Assert.StartsWith($"Already denied by {state.LocalA.FullName}", refused.Message);
        Assert.Equal([1, 2, 3], progress);
    }

    [Fact]
    public async Task CoordinatorQueue_ShowsExactlyTheRoutedRequests()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        var a1 = await service.SubmitAsync(As(s => s.UserA1, state), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "A1."));
        var a3 = await service.SubmitAsync(As(s => s.UserA3, state), new NewAccessRequest(state.SchoolRole.Id, state.A3.Id, "A3."));
        var lea = await service.SubmitAsync(As(s => s.UserA1, state), new NewAccessRequest(state.LeaRole.Id, null, "LEA."));
        var b1 = await service.SubmitAsync(As(s => s.UserB1, state), new NewAccessRequest(state.SchoolRole.Id, state.B1.Id, "B1."));
        var queue = database.Get<ApprovalQueue>();

        Assert.Equal([a1, a3, lea], (await queue.GetCoordinatorQueueAsync(As(s => s.DistrictA, state), new QueueQuery())).Items.Select(r => r.Id));
        Assert.Equal([a1], (await queue.GetCoordinatorQueueAsync(As(s => s.LocalA, state), new QueueQuery())).Items.Select(r => r.Id));
        Assert.Equal([b1], (await queue.GetCoordinatorQueueAsync(As(s => s.DistrictB, state), new QueueQuery())).Items.Select(r => r.Id));
        Assert.Empty((await queue.GetCoordinatorQueueAsync(As(s => s.UserA1, state), new QueueQuery())).Items);
    }

    [Fact]
    public async Task CoordinatorQueue_FiltersSortsAndPagesInTheDatabase()
    {
        var (database, state, _) = await ArrangeAsync();
        await using var __ = database;
        var now = database.Clock.GetUtcNow();
        var old = await TestState.AddPendingRequestAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3, now.AddDays(-20));
        var recent = await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, now.AddDays(-1));
        var iep = await TestState.AddPendingRequestAsync(database, state.UserA1, state.IepRole, state.LeaA, state.A2, now.AddDays(-5), AccessRequestStatus.PendingSupervisor);
        var queue = database.Get<ApprovalQueue>();
        var district = As(s => s.DistrictA, state);

        Assert.Equal([old.Id, iep.Id, recent.Id], (await queue.GetCoordinatorQueueAsync(district, new QueueQuery())).Items.Select(r => r.Id));
        Assert.Equal([recent.Id, iep.Id, old.Id], (await queue.GetCoordinatorQueueAsync(district, new QueueQuery(Descending: true))).Items.Select(r => r.Id));
        Assert.Equal([old.Id], (await queue.GetCoordinatorQueueAsync(district, new QueueQuery(MinAgeDays: 14))).Items.Select(r => r.Id));
        Assert.Equal([iep.Id], (await queue.GetCoordinatorQueueAsync(district, new QueueQuery(Stage: QueueStage.PendingSupervisor))).Items.Select(r => r.Id));
        Assert.Equal([recent.Id], (await queue.GetCoordinatorQueueAsync(district, new QueueQuery(SchoolId: state.A1.Id))).Items.Select(r => r.Id));
        Assert.Equal([iep.Id], (await queue.GetCoordinatorQueueAsync(district, new QueueQuery(RoleId: state.IepRole.Id))).Items.Select(r => r.Id));
        Assert.Equal([old.Id], (await queue.GetCoordinatorQueueAsync(district, new QueueQuery(Search: state.UserA3.StaffId))).Items.Select(r => r.Id));
        var page = await queue.GetCoordinatorQueueAsync(district, new QueueQuery(Page: 1, PageSize: 2));
        Assert.Equal(3, page.TotalCount);
        Assert.Equal([recent.Id], page.Items.Select(r => r.Id));
    }

    [Theory]
    [InlineData(0, 2, 2)] // a full first page: counted
    [InlineData(1, 2, 1)] // the last page, part full: the total follows from it
    [InlineData(2, 2, 0)] // past the end: counted
    [InlineData(0, 5, 3)] // everything on one page: the total is the page
    [InlineData(0, 3, 3)] // exactly full: counted
    public async Task CoordinatorQueue_TotalIsRightWhetherCountedOrTakenFromTheLastPage(int pageIndex, int pageSize, int rowsShown)
    {
        var (database, state, _) = await ArrangeAsync();
        await using var __ = database;
        var now = database.Clock.GetUtcNow();
        foreach (var (user, school, days) in new[] { (state.UserA3, state.A3, 20), (state.UserA1, state.A1, 10), (state.UserA1, state.A2, 1) })
        {
            await TestState.AddPendingRequestAsync(database, user, state.SchoolRole, state.LeaA, school, now.AddDays(-days));
        }

        var page = await database.Get<ApprovalQueue>().GetCoordinatorQueueAsync(As(s => s.DistrictA, state), new QueueQuery(Page: pageIndex, PageSize: pageSize));

        Assert.Equal(3, page.TotalCount);
        Assert.Equal(rowsShown, page.Items.Count);
    }

    [Fact]
    public async Task OwnRequests_ShowHistoryWithDeciderAndReason()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        var id = await service.SubmitAsync(As(s => s.UserA1, state), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "Duties."));
        await service.DecideAsync(As(s => s.DistrictA, state), id, Decision.Deny, "Use the read-only role.");

        var own = Assert.Single(await database.Get<ApprovalQueue>().GetOwnRequestsAsync(As(s => s.UserA1, state)));

        Assert.Equal(AccessRequestStatus.Denied, own.Status);
        Assert.False(own.CanWithdraw);
        var denial = own.History[^1];
        Assert.Equal((AccessRequestAction.CoordinatorDenied, state.DistrictA.FullName, "Use the read-only role."), (denial.Action, denial.ActorName, denial.Reason));
    }

    private sealed class SynchronousProgress(List<int> values) : IProgress<int>
    {
        public void Report(int value) => values.Add(value);
    }
}
