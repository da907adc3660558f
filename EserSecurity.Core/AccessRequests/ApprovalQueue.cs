using System.Linq.Expressions;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.AccessRequests;

/// <summary>
/// The reads behind the queues: the coordinator's queue (requests routed to them), the supervisor's queue, a request's
/// detail, and a person's own requests. Every read applies the caller's scope in the query itself.
/// </summary>
/// <remarks>
/// The reads every open queue repeats after each change (queue pages and the badge count) are shared through
/// <see cref="SharedReads"/> between callers with the same routing: one decision refreshes every open queue it
/// concerns at once, and those showing the same requests need only one trip to the database.
/// </remarks>
public sealed class ApprovalQueue(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, SharedReads sharedReads, TimeProvider clock,
    IOptions<AssuranceOptions> assuranceOptions)
{
    /// <summary>
    /// Whether a change can alter the coordinator's queue of <paramref name="scope"/>: a request submitted, decided,
    /// endorsed or withdrawn where the scope reaches, or an assignment that changes the scope's routing. Nothing concerns
    /// a scope not yet known.
    /// </summary>
    public static bool ConcernsCoordinatorQueue(AccessChange change, AccessScope? scope) => scope is not null && change.Kind switch
    {
        AccessChangeKind.AssignmentChanged => ConcernsRouting(change, scope),
        AccessChangeKind.RequestSubmitted or AccessChangeKind.RequestDecided or AccessChangeKind.RequestEndorsed or AccessChangeKind.RequestWithdrawn
            or AccessChangeKind.RequestCancelled or AccessChangeKind.RequestFollowedUp =>
            scope.Touches(change.SchoolSystemId, change.SchoolId),
        _ => false,
    };

    /// <summary>
    /// Whether a change can alter the supervisor's queue of <paramref name="scope"/>: a decision, endorsement or
    /// withdrawal in a school system they supervise, or an assignment that changes the scope.
    /// </summary>
    public static bool ConcernsSupervisorQueue(AccessChange change, AccessScope? scope) => scope is not null && change.Kind switch
    {
        AccessChangeKind.AssignmentChanged => ConcernsRouting(change, scope),
        AccessChangeKind.RequestDecided or AccessChangeKind.RequestEndorsed or AccessChangeKind.RequestWithdrawn or AccessChangeKind.RequestCancelled
            or AccessChangeKind.RequestFollowedUp =>
            change.SchoolSystemId is int lea && scope.EndorsesSchoolSystemIds.Contains(lea),
        _ => false,
    };

    /// <summary>Whether a change can alter the count of requests awaiting a coordinator or supervisor of <paramref name="scope"/>.</summary>
    public static bool ConcernsAwaitingCount(AccessChange change, AccessScope? scope) =>
        scope is { } s && (s.DecidesRequests || s.EndorsesRequests)
        && (ConcernsCoordinatorQueue(change, s) || ConcernsSupervisorQueue(change, s));

    /// <summary>
    /// Whether an assignment change can alter what is routed to <paramref name="scope"/>: one of the person's own
    /// assignments, or one in a school system or school the scope reaches.
    /// </summary>
    public static bool ConcernsRouting(AccessChange change, AccessScope? scope) =>
        scope is not null && change.Kind == AccessChangeKind.AssignmentChanged
        && (ScopeService.ConcernsOwnScope(change, scope.StaffMemberId) || scope.Touches(change.SchoolSystemId, change.SchoolId));

    /// <summary>Whether a change can alter the detail of request <paramref name="requestId"/>.</summary>
    public static bool ConcernsDetail(AccessChange change, int requestId) => change.AccessRequestId == requestId;

    /// <summary>Requests routed to the coordinator, in either pending stage, filtered, sorted and paged in the database.</summary>
    public async Task<PagedResult<QueueRow>> GetCoordinatorQueueAsync(Caller caller, QueueQuery query, CancellationToken ct = default)
    {
        var scope = await scopes.GetReadScopeAsync(caller, ct);
        return await sharedReads.GetAsync(new SharedRead("coordinator-queue", Routing.Of(scope), query),
            () => ReadCoordinatorQueueAsync(scope, query), ct);
    }

    private async Task<PagedResult<QueueRow>> ReadCoordinatorQueueAsync(AccessScope scope, QueueQuery query)
    {
        var ct = CancellationToken.None;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var requests = RequestRouting.RoutedTo(db.AccessRequests.AsNoTracking(), scope);
        requests = query.Stage switch
        {
            QueueStage.PendingSupervisor => requests.Where(r => r.Status == AccessRequestStatus.PendingSupervisor),
            QueueStage.PendingCoordinator => requests.Where(r => r.Status == AccessRequestStatus.PendingCoordinator),
            _ => requests.Where(r => r.Status == AccessRequestStatus.PendingCoordinator || r.Status == AccessRequestStatus.PendingSupervisor),
        };
        return await PageAsync(requests, query, ct);
    }

    /// <summary>IEP Forms requests a coordinator approved, waiting for the supervisor of their school system.</summary>
    public async Task<PagedResult<QueueRow>> GetSupervisorQueueAsync(Caller caller, QueueQuery query, CancellationToken ct = default)
    {
        var scope = await scopes.GetReadScopeAsync(caller, ct);
        var supervisorQuery = query with { Stage = null };
        return await sharedReads.GetAsync(new SharedRead("supervisor-queue", Routing.Of(scope), supervisorQuery), async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var requests = db.AccessRequests.AsNoTracking().Where(RequestRouting.AwaitingSupervisor(scope));
            return await PageAsync(requests, supervisorQuery, CancellationToken.None);
        }, ct);
    }

    /// <summary>How many requests wait for the caller's decision: the navigation badge.</summary>
    public async Task<int> CountAwaitingAsync(Caller caller, CancellationToken ct = default)
    {
        var scope = await scopes.GetReadScopeAsync(caller, ct);
        return await sharedReads.GetAsync(new SharedRead("awaiting", Routing.Of(scope), null), () => CountAwaitingAsync(scope), ct);
    }

    private async Task<int> CountAwaitingAsync(AccessScope scope)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var ct = CancellationToken.None;
        var count = 0;
        if (scope.DecidesRequests)
        {
            count += await RequestRouting.RoutedTo(db.AccessRequests, scope).CountAsync(r => r.Status == AccessRequestStatus.PendingCoordinator, ct);
        }
        if (scope.EndorsesRequests)
        {
            count += await db.AccessRequests.CountAsync(RequestRouting.AwaitingSupervisor(scope), ct);
        }
        return count;
    }

    /// <summary>A request with what a decider needs; only for someone the request is routed to, its supervisor, or a state administrator.</summary>
    public async Task<RequestDetail> GetDetailAsync(Caller caller, int requestId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        var row = await Rows(db.AccessRequests.AsNoTracking().Where(r => r.Id == requestId)).SingleOrDefaultAsync(ct);
        var routed = row is not null && RequestRouting.IsRoutedTo(scope, row.SchoolSystemId, row.SchoolId);
        var supervises = row is not null && scope.EndorsesSchoolSystemIds.Contains(row.SchoolSystemId);
        if (row is null || !(routed || supervises || scope.IsStateAdministrator))
        {
            throw scope.Refuse("That request does not exist or is outside your scope.");
        }

        var request = await db.AccessRequests.AsNoTracking().Where(r => r.Id == requestId)
            .Select(r => new { r.Justification, Email = r.Requester!.Email, r.EserRole!.MaxDurationDays, r.GrantEndsOn, r.RenewsGrantId }).SingleAsync(ct);
        var grants = await db.AccessGrants.AsNoTracking()
            .Where(g => g.StaffMemberId == row.RequesterId && g.EndedAt == null)
            .OrderBy(g => g.EserRole!.Name)
            .Select(g => new HeldRole(g.EserRole!.Name, g.School != null ? g.School.Name : g.SchoolSystem!.Name, g.EserRole.GrantsIepForms, g.GrantedAt))
            .ToListAsync(ct);
        var year = SchoolYear.Containing(clock.Today()).StartYear;
        var signed = await db.AssuranceSignatures.AnyAsync(s => s.StaffMemberId == row.RequesterId && s.SchoolYear == year, ct);
        var earlier = await db.AccessRequests.AsNoTracking()
            .Where(r => r.RequesterId == row.RequesterId && r.Id != requestId)
            .OrderByDescending(r => r.SubmittedAt).Take(10)
            .Select(r => new EarlierRequest(r.Id, r.EserRole!.Name, r.School != null ? r.School.Name : r.SchoolSystem!.Name, r.Status, r.SubmittedAt,
                r.Steps.OrderByDescending(s => s.At).ThenByDescending(s => s.Id).Select(s => s.Reason).FirstOrDefault()))
            .ToListAsync(ct);
        return new RequestDetail(row, request.Justification, request.Email, grants,
            AssuranceRules.StatusOn(clock.Today(), signed, assuranceOptions.Value.GraceDays),
            await HistoryAsync(db, requestId, ct), earlier,
            CanDecide: routed && row.Status == AccessRequestStatus.PendingCoordinator && row.RequesterId != caller.StaffMemberId,
            CanEndorse: supervises && row.Status == AccessRequestStatus.PendingSupervisor && row.RequesterId != caller.StaffMemberId,
            request.MaxDurationDays, request.GrantEndsOn, request.RenewsGrantId is not null);
    }

    /// <summary>The caller's own requests, newest first, each with its history.</summary>
    public async Task<IReadOnlyList<OwnRequestRow>> GetOwnRequestsAsync(Caller caller, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var requests = await db.AccessRequests.AsNoTracking()
            .Where(r => r.RequesterId == caller.StaffMemberId)
            .OrderByDescending(r => r.SubmittedAt)
            .Select(r => new
            {
                r.Id, RoleName = r.EserRole!.Name, r.EserRole.GrantsIepForms,
                ScopeName = r.School != null ? r.School.Name : r.SchoolSystem!.Name,
                r.Status, r.SubmittedAt, r.Justification,
            })
            .ToListAsync(ct);
        var ids = requests.Select(r => r.Id).ToList();
        var steps = (await db.AccessRequestSteps.AsNoTracking().Where(s => ids.Contains(s.AccessRequestId))
                .OrderBy(s => s.At).ThenBy(s => s.Id)
                .Select(s => new { s.AccessRequestId, Step = new RequestStepRow(s.Action, s.Actor != null ? s.Actor.FirstName + " " + s.Actor.LastName : "System", s.At, s.Reason,
                s.OnBehalfOf != null ? s.OnBehalfOf.FirstName + " " + s.OnBehalfOf.LastName : null) })
                .ToListAsync(ct))
            .ToLookup(s => s.AccessRequestId, s => s.Step);
        return requests.Select(r => new OwnRequestRow(r.Id, r.RoleName, r.GrantsIepForms, r.ScopeName, r.Status, r.SubmittedAt,
            r.Justification, steps[r.Id].ToList())).ToList();
    }

    /// <summary>The schools and roles that occur in the caller's queue, for its filter menus.</summary>
    public async Task<(IReadOnlyList<(int Id, string Name)> Schools, IReadOnlyList<(int Id, string Name)> Roles)> GetFilterOptionsAsync(
        Caller caller, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        var district = scope.DecidesDistrictIds.ToArray();
        var local = scope.DecidesSchoolIds.ToArray();
        var schools = await db.Schools.AsNoTracking().Where(s => district.Contains(s.SchoolSystemId) || local.Contains(s.Id))
            .OrderBy(s => s.Name).Select(s => new { s.Id, s.Name }).ToListAsync(ct);
        var roles = await db.EserRoles.AsNoTracking().OrderBy(r => r.Name).Select(r => new { r.Id, r.Name }).ToListAsync(ct);
        return (schools.Select(s => (s.Id, s.Name)).ToList(), roles.Select(r => (r.Id, r.Name)).ToList());
    }

    /// <summary>What a shared read depends on: which read, whose routing, and its filters, sort and page.</summary>
    private sealed record SharedRead(string Read, Routing Routing, QueueQuery? Query);

    /// <summary>The part of a scope that decides which requests reach the person, comparable by value.</summary>
    private sealed record Routing(string DistrictSchoolSystems, string LocalSchools, string SupervisedSchoolSystems)
    {
        public static Routing Of(AccessScope scope) => new(Ids(scope.DecidesDistrictIds), Ids(scope.DecidesSchoolIds), Ids(scope.EndorsesSchoolSystemIds));

        private static string Ids(IEnumerable<int> ids) => string.Join(',', ids.Order());
    }

    private async Task<PagedResult<QueueRow>> PageAsync(IQueryable<AccessRequest> requests, QueueQuery query, CancellationToken ct)
    {
        if (query.SchoolId is int schoolId)
        {
            requests = requests.Where(r => r.SchoolId == schoolId);
        }
        if (query.RoleId is int roleId)
        {
            requests = requests.Where(r => r.EserRoleId == roleId);
        }
        if (query.MinAgeDays is int days && days > 0)
        {
            var before = clock.GetUtcNow().AddDays(-days);
            requests = requests.Where(r => r.SubmittedAt <= before);
        }
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim();
            // A Staff ID finds its one person through the index; a name is matched from its start.
            requests = StaffMember.IsStaffId(term)
                ? requests.Where(r => r.Requester!.StaffId == term)
                : requests.Where(r => r.Requester!.LastName.StartsWith(term) || r.Requester.FirstName.StartsWith(term)
                    || (r.Requester.FirstName + " " + r.Requester.LastName).StartsWith(term));
        }

        var ordered = query.Sort switch
        {
            QueueSort.Requester => Order(requests, r => r.Requester!.LastName, query.Descending),
            QueueSort.Role => Order(requests, r => r.EserRole!.Name, query.Descending),
            QueueSort.School => Order(requests, r => r.School != null ? r.School.Name : "", query.Descending),
            // "Oldest first" is the natural triage order, so ascending submission time is the default.
            _ => Order(requests, r => r.SubmittedAt, query.Descending),
        };
        var skip = Math.Max(0, query.Page) * query.PageSize;
        var take = Math.Clamp(query.PageSize, 1, 200);
        var rows = await Rows(ordered.ThenBy(r => r.Id).Skip(skip).Take(take)).ToListAsync(ct);
        // A page that is not full ends the list, so it gives the total without counting: most searches and small
        // queues need one query instead of two. A full page, or an empty one past the first, still counts.
        var total = rows.Count < take && (rows.Count > 0 || skip == 0) ? skip + rows.Count : await requests.CountAsync(ct);
        return new PagedResult<QueueRow>(rows, total);
    }

    private static IOrderedQueryable<AccessRequest> Order<TKey>(IQueryable<AccessRequest> source, Expression<Func<AccessRequest, TKey>> key, bool descending) =>
        descending ? source.OrderByDescending(key) : source.OrderBy(key);

    private static IQueryable<QueueRow> Rows(IQueryable<AccessRequest> requests) =>
        requests.Select(r => new QueueRow(
            r.Id, r.RequesterId, r.Requester!.FirstName + " " + r.Requester.LastName, r.Requester.StaffId, r.Requester.Position,
            r.EserRoleId, r.EserRole!.Name, r.EserRole.GrantsIepForms, r.SchoolSystemId, r.SchoolId,
            r.School != null ? r.School.Name : r.SchoolSystem!.Name + " (school system)", r.SchoolSystem!.Name,
            r.SubmittedAt, r.Status, r.FollowUp, r.FollowedUpAt));

    private static async Task<IReadOnlyList<RequestStepRow>> HistoryAsync(EserSecurityDbContext db, int requestId, CancellationToken ct) =>
        await db.AccessRequestSteps.AsNoTracking().Where(s => s.AccessRequestId == requestId).OrderBy(s => s.At).ThenBy(s => s.Id)
            .Select(s => new RequestStepRow(s.Action, s.Actor != null ? s.Actor.FirstName + " " + s.Actor.LastName : "System", s.At, s.Reason,
                s.OnBehalfOf != null ? s.OnBehalfOf.FirstName + " " + s.OnBehalfOf.LastName : null))
            .ToListAsync(ct);
}
