using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Data;
using EserSecurity.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.SchoolSystems;

/// <summary>A school system as listed on the School systems page.</summary>
public sealed record SchoolSystemRow(
    int Id,
    string Code,
    string Name,
    SchoolSystemKind Kind,
    int SchoolCount,
    int DistrictCoordinatorCount,
    bool HasSupervisor,
    int PendingRequestCount,
    LocalSecurityPolicy SecurityPolicy,
    long PolicyVersion,
    LocalDuties.LocalDutiesStatus? Duties = null)
{
    /// <summary>The deck's minimum: every school system has at least one district-level security coordinator.</summary>
    public bool LacksDistrictCoordinator => DistrictCoordinatorCount == 0;
}

/// <summary>What a user may change of a school system's local security policy.</summary>
public sealed record SecurityPolicyChange(DateOnly? WrittenPolicyAdoptedOn, bool IncludesIepSecurity, DateOnly? LastAnnualTrainingOn);

/// <summary>A security policy cannot be recorded as asked; the message says why and is safe to show.</summary>
public sealed class SecurityPolicyRefusedException(string message) : Exception(message);

public sealed class SchoolSystemService(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, IAccessChangeFeed changes, TimeProvider clock)
{
    /// <summary>
    /// Whether a change can alter the list of school systems <paramref name="scope"/> sees: its coverage (assignments,
    /// including the reader's own), its pending requests, or its security policy. Nothing concerns a scope not yet known.
    /// </summary>
    public static bool ConcernsList(AccessChange change, AccessScope? scope) => scope is not null
        && change.Kind is AccessChangeKind.AssignmentChanged or AccessChangeKind.SecurityPolicyChanged or AccessChangeKind.LocalDutiesChanged or AccessChangeKind.RequestSubmitted
            or AccessChangeKind.RequestDecided or AccessChangeKind.RequestEndorsed or AccessChangeKind.RequestWithdrawn
        && (ScopeService.ConcernsOwnScope(change, scope.StaffMemberId)
            || (change.SchoolSystemId is int id && (scope.IsStateAdministrator || scope.CanViewSchoolSystem(id))));

    /// <summary>The school systems the caller may see, with their coverage and policy, filtered and paged on the server.</summary>
    public async Task<PagedResult<SchoolSystemRow>> ListAsync(
        Caller caller, string? search, bool gapsOnly, int page, int pageSize, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        var today = clock.Today();

        var query = db.SchoolSystems.AsNoTracking();
        if (!scope.IsStateAdministrator)
        {
            var visible = scope.DistrictSchoolSystemIds.Concat(scope.SupervisedSchoolSystemIds).Concat(scope.LocalSchoolSystemIds).Distinct().ToArray();
            query = query.Where(s => visible.Contains(s.Id));
        }
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            query = query.Where(s => s.Name.Contains(term) || s.Code.StartsWith(term));
        }

        var activeDistrict = db.CoordinatorAssignments.ActiveOn(today).Where(a => a.Coverage == CoordinatorCoverage.SchoolSystem);
        var activeSupervisors = db.SupervisorAssignments.ActiveOn(today);
        if (gapsOnly)
        {
            query = query.Where(s => !activeDistrict.Any(a => a.SchoolSystemId == s.Id));
        }

        var total = await query.CountAsync(ct);
        var rows = await query.OrderBy(s => s.Code)
            .Skip(Math.Max(0, page) * pageSize).Take(pageSize)
            .Select(s => new SchoolSystemRow(
                s.Id, s.Code, s.Name, s.Kind,
                s.Schools.Count,
                activeDistrict.Count(a => a.SchoolSystemId == s.Id),
                activeSupervisors.Any(a => a.SchoolSystemId == s.Id),
                db.AccessRequests.Count(r => r.SchoolSystemId == s.Id
                    && (r.Status == AccessRequestStatus.PendingCoordinator || r.Status == AccessRequestStatus.PendingSupervisor)),
                new LocalSecurityPolicy
                {
                    WrittenPolicyAdoptedOn = s.SecurityPolicy.WrittenPolicyAdoptedOn,
                    IncludesIepSecurity = s.SecurityPolicy.IncludesIepSecurity,
                    LastAnnualTrainingOn = s.SecurityPolicy.LastAnnualTrainingOn,
                    ReviewCadence = s.SecurityPolicy.ReviewCadence,
                    RemovalProcedureOn = s.SecurityPolicy.RemovalProcedureOn,
                },
                db.AuditEvents.Where(e => e.EntityType == nameof(SchoolSystem) && e.EntityId == s.Id.ToString() && e.Action == PolicyUpdated)
                    .Max(e => (long?)e.Sequence) ?? 0))
            .ToListAsync(ct);
        var shown = rows.Select(r => r.Id).ToList();
        var duties = await LocalDuties.LocalDutiesService.StatusesAsync(db, db.SchoolSystems.AsNoTracking().Where(s => shown.Contains(s.Id)), today, ct);
        rows = rows.Select(r => r with { Duties = duties.GetValueOrDefault(r.Id) }).ToList();
        return new PagedResult<SchoolSystemRow>(rows, total);
    }

    /// <summary>The action that records a change of the security policy; its latest sequence is the policy's version.</summary>
    private const string PolicyUpdated = "SchoolSystem.SecurityPolicyUpdated";

    /// <summary>
    /// Records the school system's local security policy, as read at <paramref name="readVersion"/>
    /// (<see cref="SchoolSystemRow.PolicyVersion"/>). State administrators and its district coordinators. Refused,
    /// naming who and when, if someone recorded the policy since.
    /// </summary>
    /// <exception cref="SecurityPolicyRefusedException">The policy changed after it was read.</exception>
    public async Task UpdateSecurityPolicyAsync(
        Caller caller, int schoolSystemId, long readVersion, SecurityPolicyChange change, CancellationToken ct = default)
    {
        var today = clock.Today();
        if (change.WrittenPolicyAdoptedOn > today || change.LastAnnualTrainingOn > today)
        {
            throw new ArgumentException("Policy and training dates cannot be in the future.", nameof(change));
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        scope.DemandAdministerSchoolSystem(schoolSystemId, "change this school system's security policy");

        await using var transaction = await db.BeginWriteAsync(ct);
        var schoolSystem = await db.SchoolSystems.SingleOrDefaultAsync(s => s.Id == schoolSystemId, ct)
            ?? throw scope.Refuse("That school system does not exist.");
        await EditVersions.DemandUnchangedAsync(db, nameof(SchoolSystem), schoolSystemId, readVersion, $"the security policy of {schoolSystem.Name}",
            [PolicyUpdated], m => new SecurityPolicyRefusedException(m), ct);
        var before = Snapshot(schoolSystem.SecurityPolicy);
        schoolSystem.SecurityPolicy.WrittenPolicyAdoptedOn = change.WrittenPolicyAdoptedOn;
        schoolSystem.SecurityPolicy.IncludesIepSecurity = change.IncludesIepSecurity;
        schoolSystem.SecurityPolicy.LastAnnualTrainingOn = change.LastAnnualTrainingOn;
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, caller, clock.GetUtcNow(),
            new AuditEntry(PolicyUpdated, nameof(SchoolSystem), schoolSystem.Id.ToString(),
                schoolSystem.Id, before, Snapshot(schoolSystem.SecurityPolicy)), ct);
        await transaction.CommitAsync(ct);
        changes.Publish(new AccessChange(AccessChangeKind.SecurityPolicyChanged, schoolSystem.Id, null, null, caller.StaffMemberId, clock.GetUtcNow()));
    }

    private static SecurityPolicyChange Snapshot(LocalSecurityPolicy policy) =>
        new(policy.WrittenPolicyAdoptedOn, policy.IncludesIepSecurity, policy.LastAnnualTrainingOn);
}
