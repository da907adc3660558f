using System.Globalization;
using System.Linq.Expressions;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Notifications;
using EserSecurity.Core.Roles;
using EserSecurity.Core.Readiness;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.LegacyMigration;

/// <summary>
/// Migrating legacy access: for one school system, the people TAS lists with SER access who hold no eSER grant there,
/// each with the eSER roles their TAS roles map to; a coordinator grants them in bulk. Each suggestion is decided on
/// its own, inside its own transaction, checked again on the server against the coordinator's scope, the TAS report
/// and the IEP Forms rule: a role that reaches IEP Forms becomes a request waiting for the supervisor, not a grant.
/// Only the school system's own active staff are suggested or migrated, whatever TAS lists.
/// </summary>
public sealed class LegacyMigrationService(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, IAccessChangeFeed changes, TimeProvider clock)
{
    /// <summary>
    /// Whether a change can alter the migration list of school system <paramref name="schoolSystemId"/>: grants,
    /// requests and TAS data there, and the statewide role catalog and TAS mapping.
    /// </summary>
    public static bool ConcernsPlan(AccessChange change, int? schoolSystemId) => schoolSystemId is not null
        && change.Kind is AccessChangeKind.GrantCreated or AccessChangeKind.GrantEnded or AccessChangeKind.RequestSubmitted
            or AccessChangeKind.RequestDecided or AccessChangeKind.RequestEndorsed or AccessChangeKind.RequestWithdrawn or AccessChangeKind.RequestCancelled
            or AccessChangeKind.LegacyAccessImported or AccessChangeKind.RoleCatalogChanged
        && (change.SchoolSystemId is null || change.SchoolSystemId == schoolSystemId);

    /// <summary>
    /// The migration list of a school system, sorted by name: state administrators and its district coordinators see
    /// all of it, local coordinators the suggestions at the schools they coordinate.
    /// </summary>
    public async Task<MigrationPlan> GetPlanAsync(Caller caller, int schoolSystemId, MigrationQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (name, all) = await SuggestForAsync(db, caller, schoolSystemId, ct);

        IEnumerable<MigrationSuggestion> shown = all;
        if (query.MigratableOnly)
        {
            shown = shown.Where(s => s.Item is not null);
        }
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim();
            shown = shown.Where(s => s.Name.Contains(term, StringComparison.CurrentCultureIgnoreCase) || s.StaffId == term);
        }
        var matching = shown.ToList();
        var pageSize = Math.Clamp(query.PageSize, 1, 500);
        var page = matching.Skip(Math.Max(0, query.Page) * pageSize).Take(pageSize).ToList();
        return new MigrationPlan(schoolSystemId, name,
            all.Select(s => s.StaffMemberId).Distinct().Count(),
            all.Count(s => s.State == MigrationSuggestionState.Grantable),
            all.Count(s => s.State == MigrationSuggestionState.NeedsSupervisor),
            all.Count(s => s.Item is null),
            new PagedResult<MigrationSuggestion>(page, matching.Count));
    }

    /// <summary>Migrates the given suggestions one by one; the summary says what each did. Progress: suggestions done.</summary>
    public async Task<MigrationSummary> MigrateAsync(
        Caller caller, int schoolSystemId, IReadOnlyCollection<MigrationItem> items, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        var outcomes = new List<MigrationOutcome>(items.Count);
        foreach (var item in items)
        {
            ct.ThrowIfCancellationRequested();
            outcomes.Add(await MigrateOneAsync(caller, schoolSystemId, item, ct));
            progress?.Report(outcomes.Count);
        }
        return new MigrationSummary(outcomes);
    }

    /// <summary>Migrates every suggestion of the school system that the caller may migrate.</summary>
    public async Task<MigrationSummary> MigrateAllAsync(Caller caller, int schoolSystemId, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        List<MigrationItem> items;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            items = (await SuggestForAsync(db, caller, schoolSystemId, ct)).All.Select(s => s.Item).OfType<MigrationItem>().ToList();
        }
        return await MigrateAsync(caller, schoolSystemId, items, progress, ct);
    }

    /// <summary>The school system's name and every suggestion the caller may see there, after checking they may migrate.</summary>
    private async Task<(string Name, List<MigrationSuggestion> All)> SuggestForAsync(
        EserSecurityDbContext db, Caller caller, int schoolSystemId, CancellationToken ct)
    {
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        DemandMigrator(scope, schoolSystemId);
        var name = await db.SchoolSystems.AsNoTracking().Where(s => s.Id == schoolSystemId).Select(s => s.Name).SingleOrDefaultAsync(ct)
            ?? throw scope.Refuse("That school system does not exist.");
        return (name, await SuggestAsync(db, scope, schoolSystemId, name, ct));
    }

    private static void DemandMigrator(AccessScope scope, int schoolSystemId)
    {
        if (!scope.CoordinatesIn(schoolSystemId))
        {
            throw scope.Refuse("You may not migrate legacy access there: it is outside the school systems you coordinate.");
        }
    }

    /// <summary>
    /// Who migration may give a role in a school system: active staff whose directory record belongs to it. TAS may list
    /// anyone anywhere; a role goes only to the school system's own staff.
    /// </summary>
    private static Expression<Func<StaffMember, bool>> IsActiveStaffOf(int schoolSystemId) =>
        s => s.SchoolSystemId == schoolSystemId && s.EmploymentStatus == EmploymentStatus.Active;

    private sealed record LegacyRow(int StaffMemberId, string FirstName, string LastName, string StaffId, string Position, int? SchoolId, string TasRole, int? EserRoleId);

    /// <summary>Every suggestion of the school system within the caller's scope, from four queries.</summary>
    private static async Task<List<MigrationSuggestion>> SuggestAsync(
        EserSecurityDbContext db, AccessScope scope, int schoolSystemId, string schoolSystemName, CancellationToken ct)
    {
        // The same legacy users the readiness board counts, less those already granted in this school system and those
        // who are not its staff.
        var staff = db.StaffMembers.Where(IsActiveStaffOf(schoolSystemId)).Select(s => s.Id);
        var rows = await ReadinessService.LegacyUsers(db)
            .Where(l => l.SchoolSystemId == schoolSystemId
                && staff.Contains(l.StaffMemberId)
                && !db.AccessGrants.Any(g => g.StaffMemberId == l.StaffMemberId && g.SchoolSystemId == schoolSystemId && g.EndedAt == null))
            .Select(l => new LegacyRow(l.StaffMemberId, l.StaffMember!.FirstName, l.StaffMember.LastName, l.StaffMember.StaffId, l.StaffMember.Position,
                l.SchoolId, l.TasRole!.Name, l.TasRole.EserRoleId))
            .ToListAsync(ct);
        var roles = await db.EserRoles.AsNoTracking().ToDictionaryAsync(r => r.Id, ct);
        var schools = await db.Schools.AsNoTracking().Where(s => s.SchoolSystemId == schoolSystemId).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var pending = (await db.AccessRequests.AsNoTracking()
                .Where(r => r.SchoolSystemId == schoolSystemId
                    && (r.Status == AccessRequestStatus.PendingCoordinator || r.Status == AccessRequestStatus.PendingSupervisor))
                .Select(r => new { r.RequesterId, r.EserRoleId, r.SchoolId, r.Id })
                .ToListAsync(ct))
            .GroupBy(r => (r.RequesterId, r.EserRoleId, r.SchoolId))
            .ToDictionary(g => g.Key, g => g.Min(r => r.Id));

        string ScopeName(int? schoolId) => schoolId is int id ? schools.GetValueOrDefault(id, "another school") : schoolSystemName;

        var byName = StringComparer.Create(CultureInfo.CurrentCulture, CompareOptions.IgnoreCase);
        return rows
            .GroupBy(r =>
            {
                var role = r.EserRoleId is int id ? roles[id] : null;
                int? schoolId = role?.Level == RoleLevel.SchoolSystem ? null : r.SchoolId;
                return (r.StaffMemberId, r.EserRoleId, schoolId, Unmapped: role is null ? r.TasRole : null);
            })
            .Select(g =>
            {
                var first = g.First();
                var role = g.Key.EserRoleId is int roleId ? roles[roleId] : null;
                var tasRoles = g.Select(r => r.TasRole).Distinct().Order(StringComparer.OrdinalIgnoreCase).ToList();
                int? pendingId = role is not null && pending.TryGetValue((g.Key.StaffMemberId, role.Id, g.Key.schoolId), out var id) ? id : null;
                var (state, note) = Assess(role, g.Key.schoolId, tasRoles, ScopeName(g.Key.schoolId), pendingId);
                var suggestion = new MigrationSuggestion(g.Key.StaffMemberId, $"{first.FirstName} {first.LastName}", first.StaffId, first.Position, tasRoles,
                    role?.Id, role?.Name, role?.GrantsIepForms ?? false, g.Key.schoolId, ScopeName(g.Key.schoolId), state, note);
                return (first.LastName, Suggestion: suggestion);
            })
            // The same rule migrating applies to each item.
            .Where(x => scope.CanCoordinateSchool(schoolSystemId, x.Suggestion.SchoolId))
            .OrderBy(x => x.LastName, byName)
            .ThenBy(x => x.Suggestion.Name, byName)
            .ThenBy(x => x.Suggestion.EserRoleName ?? x.Suggestion.TasRoles[0], byName)
            .Select(x => x.Suggestion)
            .ToList();
    }

    private static (MigrationSuggestionState, string) Assess(EserRole? role, int? schoolId, IReadOnlyList<string> tasRoles, string scopeName, int? pendingRequestId)
    {
        if (role is null)
        {
            return (MigrationSuggestionState.Unmapped,
                $"TAS role {string.Join(", ", tasRoles)} maps to no eSER role yet; a state administrator maps it in the role catalog.");
        }
        if (role.IsRetired)
        {
            return (MigrationSuggestionState.RoleRetired, $"{role.Name} is retired and cannot be granted.");
        }
        if (role.Level == RoleLevel.School && schoolId is null)
        {
            return (MigrationSuggestionState.NoSchool, $"{role.Name} is granted at a school, but TAS listed no site: the person requests it at their school.");
        }
        if (pendingRequestId is int requestId)
        {
            return (MigrationSuggestionState.RequestPending, $"A request for {role.Name} at {scopeName} is already pending (#{requestId}); decide it in the queue.");
        }
        return AccessRequestService.StatusAfterCoordinatorApproval(role.GrantsIepForms) == AccessRequestStatus.Approved
            ? (MigrationSuggestionState.Grantable, $"Grants {role.Name} at {scopeName}.")
            : (MigrationSuggestionState.NeedsSupervisor, $"{role.Name} includes IEP Forms: migrating sends it to the special education supervisor.");
    }

    /// <summary>Checks one suggestion again against the database and grants it, or opens its request for the supervisor.</summary>
    private async Task<MigrationOutcome> MigrateOneAsync(Caller caller, int schoolSystemId, MigrationItem item, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        if (!scope.CanCoordinateSchool(schoolSystemId, item.SchoolId))
        {
            return NotMigrated(item, "It is outside the schools you coordinate.");
        }
        if (item.StaffMemberId == caller.StaffMemberId)
        {
            return NotMigrated(item, "You cannot grant yourself a role: another coordinator must.");
        }

        await using var transaction = await db.BeginWriteAsync(ct);
        var role = await db.EserRoles.AsNoTracking().SingleOrDefaultAsync(r => r.Id == item.EserRoleId, ct);
        if (role is null || role.IsRetired)
        {
            return NotMigrated(item, "That role is not offered any more.");
        }
        if ((role.Level == RoleLevel.School) != (item.SchoolId is not null))
        {
            return NotMigrated(item, role.Level == RoleLevel.School
                ? $"{role.Name} is granted at a school: name the school."
                : $"{role.Name} is granted for the whole school system, not at one school.");
        }
        var scopeName = item.SchoolId is int schoolId
            ? await db.Schools.AsNoTracking().Where(s => s.Id == schoolId && s.SchoolSystemId == schoolSystemId).Select(s => s.Name).SingleOrDefaultAsync(ct)
            : await db.SchoolSystems.AsNoTracking().Where(s => s.Id == schoolSystemId).Select(s => s.Name).SingleOrDefaultAsync(ct);
        if (scopeName is null)
        {
            return NotMigrated(item, "That school is not part of this school system.");
        }
        var person = await db.StaffMembers.AsNoTracking().Where(s => s.Id == item.StaffMemberId).Where(IsActiveStaffOf(schoolSystemId))
            .Select(s => new { Name = s.FirstName + " " + s.LastName }).SingleOrDefaultAsync(ct);
        if (person is null)
        {
            var systemName = await db.SchoolSystems.AsNoTracking().Where(s => s.Id == schoolSystemId).Select(s => s.Name).SingleAsync(ct);
            return NotMigrated(item, $"That person is not active staff of {systemName}: migration gives a role only to the school system's own staff.");
        }
        // The client's list is never trusted: the TAS report itself must back the role at this scope.
        var tasRoles = await db.LegacySerAccess.AsNoTracking()
            .Where(l => l.StaffMemberId == item.StaffMemberId && l.SchoolSystemId == schoolSystemId && l.TasStatus == LegacySerAccess.ActiveStatus
                && l.TasRole!.EserRoleId == role.Id && (item.SchoolId == null || l.SchoolId == item.SchoolId))
            .Select(l => l.TasRole!.Name).Distinct().ToListAsync(ct);
        if (tasRoles.Count == 0)
        {
            return NotMigrated(item, $"TAS lists no SER role of {person.Name} that maps to {role.Name} at {scopeName}.");
        }
        if (await db.AccessGrants.AnyAsync(g => g.StaffMemberId == item.StaffMemberId && g.EserRoleId == role.Id && g.SchoolSystemId == schoolSystemId
                && g.SchoolId == item.SchoolId && g.EndedAt == null, ct))
        {
            return NotMigrated(item, $"{person.Name} already holds {role.Name} at {scopeName}.");
        }
        var pendingId = await db.AccessRequests.AsNoTracking()
            .Where(r => r.RequesterId == item.StaffMemberId && r.EserRoleId == role.Id && r.SchoolSystemId == schoolSystemId && r.SchoolId == item.SchoolId
                && (r.Status == AccessRequestStatus.PendingCoordinator || r.Status == AccessRequestStatus.PendingSupervisor))
            .Select(r => (int?)r.Id).FirstOrDefaultAsync(ct);
        if (pendingId is int existing)
        {
            return NotMigrated(item, $"A request of {person.Name} for {role.Name} at {scopeName} is already pending (#{existing}); decide it in the queue.");
        }

        var now = clock.GetUtcNow();
        var heldInTas = string.Join(", ", tasRoles.Order(StringComparer.OrdinalIgnoreCase));
        if (AccessRequestService.StatusAfterCoordinatorApproval(role.GrantsIepForms) == AccessRequestStatus.Approved)
        {
            var grant = new AccessGrant
            {
                StaffMemberId = item.StaffMemberId,
                EserRoleId = role.Id,
                SchoolSystemId = schoolSystemId,
                SchoolId = item.SchoolId,
                Origin = GrantOrigin.TasMigration,
                GrantedAt = now,
                GrantedById = caller.StaffMemberId,
            };
            db.AccessGrants.Add(grant);
            await db.SaveChangesAsync(ct);
            await AuditLog.AppendAsync(db, caller, now, new AuditEntry("AccessGrant.Created", nameof(AccessGrant), Id(grant.Id), schoolSystemId, null,
                new { staffMemberId = item.StaffMemberId, role = role.Name, schoolId = item.SchoolId, origin = grant.Origin.ToString(), tasRoles = heldInTas }), ct);
            await transaction.CommitAsync(ct);
            changes.Publish(new AccessChange(AccessChangeKind.GrantCreated, schoolSystemId, item.SchoolId, null, caller.StaffMemberId, now));
            return new MigrationOutcome(item, MigrationResult.Granted, $"{person.Name}: {role.Name} at {scopeName} is granted.", GrantId: grant.Id);
        }

        var request = AccessRequestService.OpenMigratedRequest(item.StaffMemberId, role, schoolSystemId, item.SchoolId, caller.StaffMemberId,
            $"Held {heldInTas} in TAS; requested for them in the TAS migration by {caller.DisplayName}.", now);
        db.AccessRequests.Add(request);
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, caller, now, new AuditEntry("AccessRequest.MigratedFromTas", nameof(AccessRequest), Id(request.Id), schoolSystemId, null,
            new { staffMemberId = item.StaffMemberId, role = role.Name, schoolId = item.SchoolId, status = request.Status.ToString(), tasRoles = heldInTas }), ct);
        var notified = await RequestNotices.EndorsementWaitingAsync(db, request.Id, schoolSystemId, caller.StaffMemberId, item.StaffMemberId, clock.Today(), now, ct);
        await transaction.CommitAsync(ct);
        changes.Publish(new AccessChange(AccessChangeKind.RequestDecided, schoolSystemId, item.SchoolId, request.Id, caller.StaffMemberId, now));
        NotificationOutbox.Publish(db, changes, notified, caller.StaffMemberId, now);
        return new MigrationOutcome(item, MigrationResult.SentToSupervisor,
            $"{person.Name}: {role.Name} at {scopeName} includes IEP Forms and now waits for the special education supervisor.", RequestId: request.Id);
    }

    private static MigrationOutcome NotMigrated(MigrationItem item, string message) => new(item, MigrationResult.NotMigrated, message);

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
