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
    /// theirs ended, their employment changed, a grant was created (its holder is not named on the change), or the
    /// reader's own assignments changed what they may end.
    /// </summary>
    public static bool ConcernsPersonAccess(AccessChange change, int staffMemberId, int? readerId) =>
        change.Kind == AccessChangeKind.GrantCreated
        || (change.Kind is AccessChangeKind.GrantEnded or AccessChangeKind.EmploymentChanged or AccessChangeKind.StaffDirectoryChanged
            && change.SubjectStaffMemberId == staffMemberId)
        || ScopeService.ConcernsOwnScope(change, readerId);

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
        var grants = await db.AccessGrants.AsNoTracking().Where(g => g.StaffMemberId == staffMemberId)
            .OrderBy(g => g.EndedAt != null).ThenByDescending(g => g.EndedAt).ThenBy(g => g.EserRole!.Name)
            .Select(g => new
            {
                g.Id, Role = g.EserRole!.Name, Scope = g.School != null ? g.School.Name : g.SchoolSystem!.Name, g.EserRole.GrantsIepForms,
                g.GrantedAt, g.EndedAt, g.EndReason, g.EndNote, g.SchoolSystemId, g.SchoolId,
                EndedBy = db.StaffMembers.Where(s => s.Id == g.EndedById).Select(s => s.FirstName + " " + s.LastName).FirstOrDefault(),
            })
            .ToListAsync(ct);
        var self = person.Id == caller.StaffMemberId;
        var rows = grants.Select(g => new PersonGrantRow(g.Id, g.Role, g.Scope, g.GrantsIepForms, g.GrantedAt, g.EndedAt,
            g.EndedAt is null ? null : g.EndedBy ?? AuditLog.SystemActorName, g.EndReason, g.EndNote,
            g.EndedAt is null && !self && CanEnd(scope, g.SchoolSystemId, g.SchoolId))).ToList();
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
