using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Notifications;
using EserSecurity.Core.Security;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Grants;

/// <summary>
/// Access that expires: the end day set at approval within the role's longest duration, the warning 14 days before to the
/// holder and their coordinators, the one-click renewal, and the grant that ends by itself with reason Expired.
/// </summary>
public sealed class GrantExpiryTests
{
    private static DateOnly Today(TestDatabase database) => DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime);

    private static async Task<AccessGrant> ApproveAsync(TestDatabase database, TestState state, DateOnly? lastDay)
    {
        var requests = database.Get<AccessRequestService>();
        var id = await requests.SubmitAsync(TestState.CallerFor(state.UserA1), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "I enter evaluations."));
        var outcome = await requests.DecideAsync(TestState.CallerFor(state.DistrictA), id, Decision.Approve, null, lastDay);
        Assert.True(outcome.Succeeded, outcome.Message);
        await using var db = await database.OpenAsync();
        return await db.AccessGrants.AsNoTracking().SingleAsync(g => g.AccessRequestId == id);
    }

    private static async Task SetMaxDurationAsync(TestDatabase database, int roleId, int? days)
    {
        await using var db = await database.OpenAsync();
        await db.EserRoles.Where(r => r.Id == roleId).ExecuteUpdateAsync(s => s.SetProperty(r => r.MaxDurationDays, days));
    }

    private static async Task<List<(int Recipient, string Title, string? Link)>> ExpiryNoticesAsync(TestDatabase database)
    {
        await using var db = await database.OpenAsync();
        return (await db.Notifications.AsNoTracking().Where(n => n.Kind == NotificationKind.GrantExpiring).OrderBy(n => n.RecipientId).ToListAsync())
            .Select(n => (n.RecipientId, n.Title, n.Link)).ToList();
    }

    [Fact]
    public async Task AnApproval_KeepsTheChosenLastDay_AndARoleWithALongestDuration_GetsItsLatestDayWhenNoneIsChosen()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var today = Today(database);
        var chosen = await ApproveAsync(database, state, today.AddDays(60));
        await SetMaxDurationAsync(database, state.LeaRole.Id, 90);
        var requests = database.Get<AccessRequestService>();
        var id = await requests.SubmitAsync(TestState.CallerFor(state.UserA1), new NewAccessRequest(state.LeaRole.Id, null, "I run the board's reports."));
        await requests.DecideAsync(TestState.CallerFor(state.DistrictA), id, Decision.Approve, null);

        await using var db = await database.OpenAsync();
        Assert.Equal(today.AddDays(60), chosen.EndsOn);
        Assert.Equal(today.AddDays(90), (await db.AccessGrants.SingleAsync(g => g.AccessRequestId == id)).EndsOn);
        var audit = await db.AuditEvents.Where(e => e.Action == "AccessGrant.Created").OrderBy(e => e.Sequence).Select(e => e.After).FirstAsync();
        Assert.Contains($"\"endsOn\":\"{today.AddDays(60):yyyy-MM-dd}\"", audit);
    }

    [Fact]
    public async Task AnApproval_BeyondTheRolesLongestDuration_OrInThePast_IsRefused_AndTheRequestStaysPending()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await SetMaxDurationAsync(database, state.SchoolRole.Id, 30);
        var today = Today(database);
        var requests = database.Get<AccessRequestService>();
        var id = await requests.SubmitAsync(TestState.CallerFor(state.UserA1), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "I enter evaluations."));

        var tooLong = await Assert.ThrowsAsync<AccessRequestRefusedException>(() =>
            requests.DecideAsync(TestState.CallerFor(state.DistrictA), id, Decision.Approve, null, today.AddDays(31)));
        var past = await Assert.ThrowsAsync<AccessRequestRefusedException>(() =>
            requests.DecideAsync(TestState.CallerFor(state.DistrictA), id, Decision.Approve, null, today.AddDays(-1)));

        Assert.Equal(
            $"Student Data Entry may be granted for at most 30 days, so its access ends on {today.AddDays(30):MMMM d, yyyy} at the latest. Choose that day or an earlier one.",
            tooLong.Message);
        Assert.Contains("that day has passed", past.Message);
        await using var db = await database.OpenAsync();
        Assert.Equal(AccessRequestStatus.PendingCoordinator, (await db.AccessRequests.SingleAsync(r => r.Id == id)).Status);
        Assert.False(await db.AccessGrants.AnyAsync());
    }

    [Fact]
    public async Task AnIepFormsGrant_TakesTheEndDayTheCoordinatorSet_WhenTheSupervisorEndorsesIt()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await TestState.SignThisYearAsync(database, state.UserA1);
        var lastDay = Today(database).AddDays(45);
        var requests = database.Get<AccessRequestService>();
        var id = await requests.SubmitAsync(TestState.CallerFor(state.UserA1), new NewAccessRequest(state.IepRole.Id, state.A1.Id, "I write IEPs."));
        await requests.DecideAsync(TestState.CallerFor(state.LocalA), id, Decision.Approve, null, lastDay);
        var detail = await database.Get<ApprovalQueue>().GetDetailAsync(TestState.CallerFor(state.SupervisorA), id);
        await requests.EndorseAsync(TestState.CallerFor(state.SupervisorA), id, Decision.Approve, null);

        Assert.Equal(lastDay, detail.GrantEndsOn);
        await using var db = await database.OpenAsync();
        Assert.Equal(lastDay, (await db.AccessGrants.SingleAsync(g => g.AccessRequestId == id)).EndsOn);
    }

    [Fact]
    public async Task FourteenDaysBefore_TheHolderAndTheirCoordinatorsAreWarned_Once()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var lastDay = Today(database).AddDays(20);
        var grant = await ApproveAsync(database, state, lastDay);
        var expiry = database.Get<GrantExpiry>();

        database.Clock.Advance(TimeSpan.FromDays(5));
        var early = await expiry.RunAsync();
        database.Clock.Advance(TimeSpan.FromDays(1));
        var due = await expiry.RunAsync();
        var again = await expiry.RunAsync();

        Assert.Equal(((0, 0), (0, 1), (0, 0)), (early, due, again));
        var day = lastDay.ToString("MMMM d, yyyy");
        Assert.Equal(
        [
            (state.DistrictA.Id, $"{state.UserA1.FullName}'s Student Data Entry at {state.A1.Name} ends on {day}", "access/expiring"),
            (state.LocalA.Id, $"{state.UserA1.FullName}'s Student Data Entry at {state.A1.Name} ends on {day}", "access/expiring"),
            (state.UserA1.Id, $"Your Student Data Entry at {state.A1.Name} ends on {day}: renew it if your duties still need it",
                $"people/staff-id/{state.UserA1.StaffId}"),
        ], (await ExpiryNoticesAsync(database)).OrderBy(n => n.Recipient == state.UserA1.Id).ThenBy(n => n.Recipient == state.LocalA.Id));
        await using var db = await database.OpenAsync();
        Assert.Equal(lastDay, (await db.AccessGrants.SingleAsync(g => g.Id == grant.Id)).ExpiryWarnedFor);
    }

    [Fact]
    public async Task TheDayAfterItsLastDay_TheGrantEndsWithReasonExpired_AuditedAndPublished_AndTwoRunsEndItOnce()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var lastDay = Today(database).AddDays(3);
        var grant = await ApproveAsync(database, state, lastDay);
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());
        var expiry = database.Get<GrantExpiry>();

        database.Clock.Advance(TimeSpan.FromDays(3));
        var onItsLastDay = await expiry.RunAsync();
        var stillActive = (await GrantSetup.FindAsync(database, grant.Id)).IsActive;
        database.Clock.Advance(TimeSpan.FromDays(1));
        var runs = await Task.WhenAll(expiry.RunAsync(), expiry.RunAsync());

        Assert.Equal(0, onItsLastDay.Ended);
        Assert.True(stillActive);
        Assert.Equal(1, runs.Sum(r => r.Ended));
        var ended = await GrantSetup.FindAsync(database, grant.Id);
        Assert.Equal((GrantEndReason.Expired, (int?)null, $"Its last day was {lastDay:MMMM d, yyyy}."), (ended.EndReason!.Value, ended.EndedById, ended.EndNote));
        var change = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.GrantEnded);
        Assert.Equal((state.UserA1.Id, state.A1.Id), (change.SubjectStaffMemberId!.Value, change.SchoolId!.Value));
        await using var db = await database.OpenAsync();
        var audit = await db.AuditEvents.SingleAsync(e => e.Action == "AccessGrant.Ended");
        Assert.Null(audit.ActorId);
        Assert.Contains("Expired", audit.After);
        var row = (await database.Get<GrantService>().GetPersonAccessAsync(TestState.CallerFor(state.UserA1), state.UserA1.Id)).Grants.Single();
        Assert.Equal("Reached its end date", GrantEndReasons.Describe(row.EndReason!.Value));
    }

    [Fact]
    public async Task TheHolder_RenewsWithOneClick_AndTheApprovedRenewal_EndsTheOldGrantAndCarriesOn()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var old = await ApproveAsync(database, state, Today(database).AddDays(10));
        var requests = database.Get<AccessRequestService>();
        var holder = TestState.CallerFor(state.UserA1);
        var before = (await database.Get<GrantService>().GetPersonAccessAsync(holder, state.UserA1.Id)).Grants.Single();

        var renewalId = await requests.RenewAsync(holder, old.Id);
        var twice = await Assert.ThrowsAsync<AccessRequestRefusedException>(() => requests.RenewAsync(holder, old.Id));
        var pending = (await database.Get<GrantService>().GetPersonAccessAsync(holder, state.UserA1.Id)).Grants.Single();
        var listed = await database.Get<GrantService>().GetExpiringAsync(TestState.CallerFor(state.DistrictA), new ExpiringQuery(14));
        await requests.DecideAsync(TestState.CallerFor(state.DistrictA), renewalId, Decision.Approve, null, Today(database).AddDays(200));

        Assert.Equal((true, false), (before.CanRenew, before.RenewalPending));
        Assert.Equal((false, true), (pending.CanRenew, pending.RenewalPending));
        Assert.Contains("still pending", twice.Message);
        Assert.True(listed.Items.Single().RenewalPending);
        await using var db = await database.OpenAsync();
        var renewal = await db.AccessRequests.SingleAsync(r => r.Id == renewalId);
        Assert.Equal(old.Id, renewal.RenewsGrantId);
        Assert.StartsWith("Renewal of Student Data Entry at Alpha Elementary, which ends on", renewal.Justification);
        var grants = await db.AccessGrants.OrderBy(g => g.Id).ToListAsync();
        Assert.Equal((GrantEndReason.Renewed, $"Renewed by request #{renewalId}."), (grants[0].EndReason!.Value, grants[0].EndNote));
        Assert.Equal((true, Today(database).AddDays(200), renewalId), (grants[1].IsActive, grants[1].EndsOn, grants[1].AccessRequestId!.Value));
    }

    [Fact]
    public async Task Renewing_SomeoneElsesGrant_IsRefusedForScope_AndAGrantWithoutAnEnd_HasNothingToRenew()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var open = await ApproveAsync(database, state, null);
        var requests = database.Get<AccessRequestService>();

        await Assert.ThrowsAsync<ScopeDeniedException>(() => requests.RenewAsync(TestState.CallerFor(state.UserA3), open.Id));
        var nothing = await Assert.ThrowsAsync<AccessRequestRefusedException>(() => requests.RenewAsync(TestState.CallerFor(state.UserA1), open.Id));

        Assert.Contains("has no end date", nothing.Message);
        Assert.Null(open.EndsOn);
    }

    [Fact]
    public async Task TheExpiringList_ShowsTheCoordinatorsOwnSchools_SoonestFirst_AndRefusesPeopleWhoCoordinateNothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var today = Today(database);
        var soon = await ApproveAsync(database, state, today.AddDays(10));
        var later = await GrantSetup.AddAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3);
        await using (var db = await database.OpenAsync())
        {
            await db.AccessGrants.Where(g => g.Id == later.Id).ExecuteUpdateAsync(s => s.SetProperty(g => g.EndsOn, today.AddDays(5)));
        }
        var grants = database.Get<GrantService>();

        var district = await grants.GetExpiringAsync(TestState.CallerFor(state.DistrictA), new ExpiringQuery(30));
        var local = await grants.GetExpiringAsync(TestState.CallerFor(state.LocalA), new ExpiringQuery(30));
        var narrow = await grants.GetExpiringAsync(TestState.CallerFor(state.DistrictA), new ExpiringQuery(7));
        var other = await grants.GetExpiringAsync(TestState.CallerFor(state.DistrictB), new ExpiringQuery(null));

        Assert.Equal([(later.Id, 5), (soon.Id, 10)], district.Items.Select(r => (r.Id, r.DaysLeft)));
        Assert.Equal([soon.Id], local.Items.Select(r => r.Id));
        Assert.Equal([later.Id], narrow.Items.Select(r => r.Id));
        Assert.Empty(other.Items);
        await Assert.ThrowsAsync<ScopeDeniedException>(() => grants.GetExpiringAsync(TestState.CallerFor(state.UserA1), new ExpiringQuery()));
    }

    [Fact]
    public void TheExpiringList_FollowsGrantChangesInTheReadersScope_AndTheirOwnAssignments()
    {
        var scope = new AccessScope(7, 1, false, new HashSet<int> { 1 }, new HashSet<int>(), new HashSet<int>(), new HashSet<int>());
        var now = DateTimeOffset.UnixEpoch;

        Assert.True(GrantService.ConcernsExpiring(new AccessChange(AccessChangeKind.GrantEnded, 1, 10, null, null, now, 3), scope));
        Assert.True(GrantService.ConcernsExpiring(new AccessChange(AccessChangeKind.RequestSubmitted, 1, 10, 5, 3, now), scope));
        Assert.False(GrantService.ConcernsExpiring(new AccessChange(AccessChangeKind.GrantCreated, 2, 20, 5, null, now), scope));
        Assert.True(GrantService.ConcernsExpiring(new AccessChange(AccessChangeKind.AssignmentChanged, 2, null, null, null, now, 7), scope));
        Assert.False(GrantService.ConcernsExpiring(new AccessChange(AccessChangeKind.NotificationsChanged, 1, null, null, null, now, 7), scope));
        Assert.False(GrantService.ConcernsExpiring(new AccessChange(AccessChangeKind.GrantEnded, 1, 10, null, null, now, 3), null));
    }

    [Fact]
    public void TheLastDay_IsTheChosenDay_OrTheRolesLatest_OrNone()
    {
        var today = new DateOnly(2026, 12, 1);

        Assert.Null(GrantTerm.LastDay(today, null, "Role", null));
        Assert.Equal(today.AddDays(30), GrantTerm.LastDay(today, null, "Role", 30));
        Assert.Equal(today, GrantTerm.LastDay(today, today, "Role", 30));
        Assert.Equal(today.AddDays(400), GrantTerm.LastDay(today, today.AddDays(400), "Role", null));
        Assert.NotNull(GrantTerm.DurationProblem(0));
        Assert.Null(GrantTerm.DurationProblem(null));
        Assert.Null(GrantTerm.DurationProblem(GrantTerm.MaxRoleDurationDays));
    }
}
