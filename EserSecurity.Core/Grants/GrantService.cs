using System.Globalization;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Employment;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Grants;

/// <summary>
/// A person's grants and ending one by hand: state administrators end any grant, district coordinators those of their
/// school systems, local coordinators those at the schools they cover. A reason is required; the person sees it.
/// </summary>
public sealed class GrantService(IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, IAccessChangeFeed changes, TimeProvider clock)
{
    /// <summary>Whether the reader of <paramref name="scope"/> may end a grant in that school system and school.</summary>
    public static bool CanEnd(AccessScope scope, int schoolSystemId, int? schoolId) => scope.CanCoordinateSchool(schoolSystemId, schoolId);

    /// <summary>
    /// Whether a change can alter <see cref="GetPersonAccessAsync"/> for <paramref name="staffMemberId"/>: a grant of
    /// theirs ended, their employment changed, a grant was created or a request decided (neither names the holder), a
    /// renewal they asked for or withdrew, or the reader's own assignments changed what they may end.
    /// </summary>
    public static bool ConcernsPersonAccess(AccessChange change, int staffMemberId, int? readerId) =>
        change.Kind is AccessChangeKind.GrantCreated or AccessChangeKind.RequestDecided or AccessChangeKind.RequestEndorsed or AccessChangeKind.RequestCancelled
        || (change.Kind is AccessChangeKind.RequestSubmitted or AccessChangeKind.RequestWithdrawn && change.ActorId == staffMemberId)
        || (change.Kind is AccessChangeKind.GrantEnded or AccessChangeKind.EmploymentChanged or AccessChangeKind.StaffDirectoryChanged
            && change.SubjectStaffMemberId == staffMemberId)
        || ScopeService.ConcernsOwnScope(change, readerId);

    /// <summary>Whether the reader of <paramref name="scope"/> may see the list of access ending soon: state administrators and coordinators.</summary>
    public static bool CanSeeExpiring(AccessScope? scope) => scope is { IsStateAdministrator: true } or { IsCoordinator: true };

    /// <summary>
    /// Whether a change can alter <see cref="GetExpiringAsync"/> for <paramref name="scope"/>: a grant created or ended
    /// where the scope reaches (an approval may set an end, an end removes a row), a renewal asked for or decided there,
    /// or an assignment that changes the reader's scope.
    /// </summary>
    public static bool ConcernsExpiring(AccessChange change, AccessScope? scope) => scope is not null && change.Kind switch
    {
        AccessChangeKind.GrantCreated or AccessChangeKind.GrantEnded or AccessChangeKind.RequestSubmitted or AccessChangeKind.RequestDecided
            or AccessChangeKind.RequestEndorsed or AccessChangeKind.RequestWithdrawn or AccessChangeKind.RequestCancelled =>
            scope.Touches(change.SchoolSystemId, change.SchoolId),
        AccessChangeKind.AssignmentChanged => ScopeService.ConcernsOwnScope(change, scope.StaffMemberId),
        _ => false,
    };

    /// <summary>
    /// Active grants with an end date in the schools the caller coordinates, soonest end first: the list from which
    /// coordinators see what access is about to end and whether its holder asked to renew it.
    /// </summary>
    /// <exception cref="ScopeDeniedException">The caller coordinates nothing.</exception>
    public async Task<PagedResult<ExpiringGrantRow>> GetExpiringAsync(Caller caller, ExpiringQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetReadScopeAsync(db, caller.StaffMemberId, ct);
        if (!CanSeeExpiring(scope))
        {
            throw scope.Refuse("Only coordinators and state administrators see the access that ends soon.");
        }
        var today = clock.Today();
        var grants = db.AccessGrants.AsNoTracking().Where(g => g.EndedAt == null && g.EndsOn != null);
        if (query.WithinDays is int within)
        {
            var last = today.AddDays(Math.Clamp(within, 0, GrantTerm.MaxRoleDurationDays));
            grants = grants.Where(g => g.EndsOn <= last);
        }
        if (!scope.IsStateAdministrator)
        {
            var district = scope.DistrictSchoolSystemIds.ToArray();
            var schools = scope.LocalSchoolIds.ToArray();
            grants = grants.Where(g => district.Contains(g.SchoolSystemId) || (g.SchoolId != null && schools.Contains(g.SchoolId.Value)));
        }
        var total = await grants.CountAsync(ct);
        var pendingRenewals = PendingRenewals(db);
        var rows = await grants.OrderBy(g => g.EndsOn).ThenBy(g => g.StaffMember!.LastName).ThenBy(g => g.Id)
            .Skip(Math.Max(query.Page, 0) * Math.Clamp(query.PageSize, 1, 200)).Take(Math.Clamp(query.PageSize, 1, 200))
            .Select(g => new
            {
                g.Id, g.StaffMemberId, g.StaffMember!.StaffId, Name = g.StaffMember.FirstName + " " + g.StaffMember.LastName, Role = g.EserRole!.Name,
                Scope = g.School != null ? g.School.Name : g.SchoolSystem!.Name, EndsOn = g.EndsOn!.Value,
                Renewal = pendingRenewals.Any(r => r.RenewsGrantId == g.Id),
            })
            .ToListAsync(ct);
        return new PagedResult<ExpiringGrantRow>(rows.Select(r => new ExpiringGrantRow(r.Id, r.StaffMemberId, r.StaffId, r.Name, r.Role, r.Scope, r.EndsOn,
            r.EndsOn.DayNumber - today.DayNumber, r.Renewal)).ToList(), total);
    }

    /// <summary>Requests that renew a grant and still wait for a decision: a grant with one is "renewal asked for".</summary>
    private static IQueryable<AccessRequests.AccessRequest> PendingRenewals(EserSecurityDbContext db) =>
        db.AccessRequests.Where(r => r.RenewsGrantId != null
            && (r.Status == AccessRequests.AccessRequestStatus.PendingCoordinator || r.Status == AccessRequests.AccessRequestStatus.PendingSupervisor));

    /// <summary>The person's grants, active first, then ended ones newest first; for the person and whoever's scope covers them.</summary>
    /// <exception cref="ScopeDeniedException">The person does not exist or is outside the caller's scope (one answer for both).</exception>
    public async Task<PersonAccess> GetPersonAccessAsync(Caller caller, int staffMemberId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetReadScopeAsync(db, caller.StaffMemberId, ct);
        var person = await db.StaffMembers.AsNoTracking().Where(s => s.Id == staffMemberId)
            .Select(s => new { s.Id, Name = s.FirstName + " " + s.LastName, s.SchoolSystemId, s.EmploymentStatus, s.EmploymentEndedOn, Schools = s.Schools.Select(x => x.SchoolId).ToList() })
            .SingleOrDefaultAsync(ct);
        if (person is null || (person.Id != caller.StaffMemberId && !scope.CoversPerson(person.SchoolSystemId, person.Schools)))
        {
            throw scope.Refuse("That staff record does not exist or is outside your scope.");
        }
        var pendingRenewals = PendingRenewals(db);
        var grants = await db.AccessGrants.AsNoTracking().Where(g => g.StaffMemberId == staffMemberId)
            .OrderBy(g => g.EndedAt != null).ThenByDescending(g => g.EndedAt).ThenBy(g => g.EserRole!.Name)
            .Select(g => new
            {
                g.Id, Role = g.EserRole!.Name, Scope = g.School != null ? g.School.Name : g.SchoolSystem!.Name, g.EserRole.GrantsIepForms,
                g.GrantedAt, g.EndedAt, g.EndReason, g.EndNote, g.SchoolSystemId, g.SchoolId, g.EndsOn,
                RenewalPending = pendingRenewals.Any(r => r.RenewsGrantId == g.Id),
                EndedBy = db.StaffMembers.Where(s => s.Id == g.EndedById).Select(s => s.FirstName + " " + s.LastName).FirstOrDefault(),
            })
            .ToListAsync(ct);
        var self = person.Id == caller.StaffMemberId;
        var rows = grants.Select(g => new PersonGrantRow(g.Id, g.Role, g.Scope, g.GrantsIepForms, g.GrantedAt, g.EndedAt,
            g.EndedAt is null ? null : g.EndedBy ?? AuditLog.SystemActorName, g.EndReason, g.EndNote,
            g.EndedAt is null && !self && CanEnd(scope, g.SchoolSystemId, g.SchoolId),
            g.EndsOn, g.EndedAt is null && self && g.EndsOn is not null && !g.RenewalPending && person.EmploymentStatus == EmploymentStatus.Active,
            g.EndedAt is null && g.RenewalPending)).ToList();
        var ended = person.EmploymentStatus == EmploymentStatus.Ended;
        return new PersonAccess(person.Id, person.Name, rows, !self && !ended && EmploymentService.CanEndEmployment(scope, person.SchoolSystemId, person.Schools),
            ended, StaffMember.EndIsScheduled(person.EmploymentStatus, person.EmploymentEndedOn) ? person.EmploymentEndedOn : null);
    }

    /// <summary>Ends an active grant now, with a reason the person sees; audited and published.</summary>
    /// <exception cref="ScopeDeniedException">The grant does not exist or is outside the schools the caller coordinates.</exception>
    /// <exception cref="GrantRefusedException">No reason, or the grant already ended (the message says by whom and when).</exception>
    public async Task<GrantEndOutcome> EndAsync(Caller caller, int grantId, string? reason, CancellationToken ct = default)
    {
        reason = GrantEnding.RequireNote(GrantEndReason.Manual, reason);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.BeginWriteAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        var grant = await db.AccessGrants.Include(g => g.EserRole).SingleOrDefaultAsync(g => g.Id == grantId, ct);
        if (grant is null || !CanEnd(scope, grant.SchoolSystemId, grant.SchoolId))
        {
            throw scope.Refuse("That grant does not exist or is outside the schools you coordinate.");
        }
        if (grant.EndedAt is { } endedAt)
        {
            var who = grant.EndedById is int by
                ? await db.StaffMembers.Where(s => s.Id == by).Select(s => s.FirstName + " " + s.LastName).SingleAsync(ct)
                : "the system";
            throw new GrantRefusedException(
                $"That grant already ended: {GrantEndReasons.Describe(grant.EndReason ?? GrantEndReason.Manual).ToLowerInvariant()}, by {who} on {Time(endedAt)}.");
        }
        var now = clock.GetUtcNow();
        var ended = grant.End(now, caller.StaffMemberId, GrantEndReason.Manual, reason);
        await db.SaveChangesAsync(ct);
        await ChangeOfDutiesRules.CloseForEndedGrantsAsync(db, [grant.Id], now, caller.StaffMemberId, ct);
        await AuditLog.AppendAsync(db, caller, now, ended.Audit, ct);
        await transaction.CommitAsync(ct);
        changes.Publish(ended.Change);
        return new GrantEndOutcome(grant.Id, now, $"Ended {grant.EserRole!.Name}.");
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("MMMM d, yyyy h:mm tt 'UTC'", CultureInfo.InvariantCulture);
}
