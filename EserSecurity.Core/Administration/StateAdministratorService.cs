using System.Globalization;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Data;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Administration;

/// <summary>
/// The state administrators: who they are and were, adding and ending them (state administrators only), and the
/// startup bootstrap that makes the first one on a database that has none. A state administrator counts while the
/// assignment is in force and the person's employment is active; the console always keeps at least one.
/// </summary>
public sealed class StateAdministratorService(
    IDbContextFactory<EserSecurityDbContext> dbFactory,
    ScopeService scopes,
    IAccessChangeFeed changes,
    TimeProvider clock,
    IOptions<BootstrapOptions> bootstrap,
    ILogger<StateAdministratorService> logger)
{
    /// <summary>Where state administrators are added and ended, as the log and the page name it.</summary>
    public const string PagePath = "/administration/state-administrators";

    private const string SystemName = "System";

    /// <summary>
    /// Whether a change concerns a reader of <see cref="ListAsync"/>: a state administrator added or ended (which also
    /// concerns the person added or ended, whose own access to the list changes), or a staff record changing, which
    /// may rename or end the employment of someone on the list.
    /// </summary>
    public static bool ConcernsList(AccessChange change, AccessScope? scope) => scope is not null && change.Kind switch
    {
        AccessChangeKind.StateAdministratorsChanged => scope.IsStateAdministrator || change.SubjectStaffMemberId == scope.StaffMemberId,
        AccessChangeKind.StaffDirectoryChanged => scope.IsStateAdministrator,
        _ => false,
    };

    /// <summary>Every state administrator, in force and ended, with who added and ended them, when and why. State administrators only.</summary>
    public async Task<StateAdministratorList> ListAsync(Caller caller, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        scope.DemandStateAdministrator("see the state administrators");
        var today = clock.Today();
        var active = db.StateAdministrators.ActiveOn(today).Select(a => a.Id);
        var rows = await db.StateAdministrators.AsNoTracking()
            .Select(a => new
            {
                a.Id,
                a.StaffMemberId,
                Name = a.StaffMember!.FirstName + " " + a.StaffMember.LastName,
                a.StaffMember.StaffId,
                a.StaffMember.Position,
                EmploymentEnded = a.StaffMember.EmploymentStatus != EmploymentStatus.Active,
                a.StartsOn,
                a.AddedAt,
                AddedBy = db.StaffMembers.Where(s => s.Id == a.AddedById).Select(s => s.FirstName + " " + s.LastName).FirstOrDefault(),
                a.EndsOn,
                a.EndedAt,
                EndedBy = db.StaffMembers.Where(s => s.Id == a.EndedById).Select(s => s.FirstName + " " + s.LastName).FirstOrDefault(),
                a.EndReason,
                IsActive = active.Contains(a.Id),
            })
            .ToListAsync(ct);
        var counted = rows.Count(r => r.IsActive && !r.EmploymentEnded);
        var list = rows.Select(r => new StateAdministratorRow(r.Id, r.StaffMemberId, r.Name, r.StaffId, r.Position, r.EmploymentEnded,
            r.StartsOn, r.AddedAt, r.AddedBy ?? SystemName, r.EndsOn, r.EndedAt, r.EndedBy, r.EndReason, r.IsActive,
            r.IsActive && !r.EmploymentEnded && counted <= 1 ? LastOneMessage : null)).ToList();
        return new StateAdministratorList(
            list.Where(r => r.IsActive).OrderBy(r => r.Name).ToList(),
            list.Where(r => !r.IsActive).OrderByDescending(r => r.EndsOn).ThenBy(r => r.Name).ToList());
    }

    /// <summary>Active staff matching a Staff ID or the start of a name who are not state administrators yet. State administrators only.</summary>
    public async Task<IReadOnlyList<StateAdministratorCandidate>> FindCandidatesAsync(Caller caller, string? search, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        scope.DemandStateAdministrator("add state administrators");
        if (string.IsNullOrWhiteSpace(search))
        {
            return [];
        }
        var term = search.Trim();
        var administrators = db.StateAdministrators.ActiveOn(clock.Today()).Select(a => a.StaffMemberId);
        var people = db.StaffMembers.AsNoTracking()
            .Where(s => s.EmploymentStatus == EmploymentStatus.Active && !administrators.Contains(s.Id));
        people = StaffMember.IsStaffId(term)
            ? people.Where(s => s.StaffId == term)
            : people.Where(s => s.LastName.StartsWith(term) || s.FirstName.StartsWith(term) || (s.FirstName + " " + s.LastName).StartsWith(term));
        return await people.OrderBy(s => s.LastName).ThenBy(s => s.FirstName).Take(20)
            .Select(s => new StateAdministratorCandidate(s.Id, s.FirstName + " " + s.LastName, s.StaffId, s.Position,
                s.SchoolSystem != null ? s.SchoolSystem.Name : null))
            .ToListAsync(ct);
    }

    /// <summary>Makes an active staff member state administrator from today. State administrators only.</summary>
    public async Task<int> AddAsync(Caller caller, int staffMemberId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        scope.DemandStateAdministrator("add state administrators");
        var today = clock.Today();
        await using var transaction = await db.BeginWriteAsync(ct);
        var person = await db.StaffMembers.AsNoTracking().Where(s => s.Id == staffMemberId)
                .Select(s => new { s.StaffId, s.EmploymentStatus }).SingleOrDefaultAsync(ct);
        if (person is not { EmploymentStatus: EmploymentStatus.Active })
        {
            throw new StateAdministratorRefusedException("Only an active staff member can be made state administrator.");
        }
        if (await db.StateAdministrators.ActiveOn(today).AnyAsync(a => a.StaffMemberId == staffMemberId, ct))
        {
            throw new StateAdministratorRefusedException("That person is already a state administrator.");
        }
        var assignment = NewAssignment(staffMemberId, caller.StaffMemberId);
        db.StateAdministrators.Add(assignment);
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, caller, clock.GetUtcNow(), Added(assignment, person.StaffId), ct);
        await transaction.CommitAsync(ct);
        Publish(caller.StaffMemberId, staffMemberId);
        return assignment.Id;
    }

    /// <summary>
    /// Ends a state administrator today, with the reason kept in the record. State administrators only. The last
    /// active state administrator cannot be ended: the console would have nobody to administer it.
    /// </summary>
    public async Task EndAsync(Caller caller, int assignmentId, string reason, CancellationToken ct = default)
    {
        reason = AssignmentPeriods.RequireEndReason(reason);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        scope.DemandStateAdministrator("end state administrators");
        var today = clock.Today();
        await using var transaction = await db.BeginWriteAsync(ct);
        var assignment = await db.StateAdministrators.Include(a => a.StaffMember).SingleOrDefaultAsync(a => a.Id == assignmentId, ct)
            ?? throw new StateAdministratorRefusedException("That state administrator assignment does not exist.");
        assignment.RefuseEnded(today);
        if (assignment.StaffMember!.EmploymentStatus == EmploymentStatus.Active
            && !await ActiveAdministrators(db, today).AnyAsync(a => a.Id != assignment.Id, ct))
        {
            throw new StateAdministratorRefusedException(LastOneMessage);
        }
        var ended = assignment.End(clock.GetUtcNow(), today, caller.StaffMemberId, reason);
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, caller, clock.GetUtcNow(), new AuditEntry("StateAdministrator.Ended", nameof(StateAdministratorAssignment),
            Id(assignment.Id), null, new { EndsOn = ended.EndsOnBefore },
            new { assignment.StaffMemberId, assignment.StaffMember.StaffId, endsOn = ended.EndsOn, reason = ended.Reason }), ct);
        await transaction.CommitAsync(ct);
        Publish(caller.StaffMemberId, assignment.StaffMemberId);
    }

    /// <summary>
    /// The startup step: on a database with no active state administrator, makes the person whose Staff ID is
    /// configured (<see cref="BootstrapOptions.StateAdministratorKey"/>) state administrator, audited with the system as
    /// actor. When one exists, the setting is ignored. A wrong setting is logged as an error saying what to do, and
    /// startup goes on: the console without an administrator harms nobody, and the fix (importing the staff directory,
    /// correcting the Staff ID) is made outside it before the next start.
    /// </summary>
    public async Task<BootstrapResult> BootstrapAsync(CancellationToken ct = default)
    {
        var configured = bootstrap.Value.StateAdministrator?.Trim();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var today = clock.Today();
        await using var transaction = await db.BeginWriteAsync(ct);
        var existing = await ActiveAdministrators(db, today).CountAsync(ct);
        if (string.IsNullOrEmpty(configured))
        {
            return existing > 0
                ? new BootstrapResult(BootstrapOutcome.NotConfigured, null)
                : Log(LogLevel.Warning, BootstrapOutcome.NoAdministrator,
                    $"The console has no active state administrator, so nobody can administer it. Set {BootstrapOptions.StateAdministratorKey} " +
                    $"(environment variable {BootstrapOptions.StateAdministratorEnvironmentVariable}) to the Staff ID of the first state administrator " +
                    "and restart the console.");
        }
        if (existing > 0)
        {
            return Log(LogLevel.Information, BootstrapOutcome.Ignored,
                $"{BootstrapOptions.StateAdministratorKey} ({configured}) ignored: the console already has {existing} active state " +
                $"administrator{(existing == 1 ? "" : "s")}. State administrators add and end others on {PagePath}; the setting can be removed.");
        }
        if (!StaffMember.IsStaffId(configured))
        {
            return Log(LogLevel.Error, BootstrapOutcome.Malformed,
                $"{BootstrapOptions.StateAdministratorKey} is '{configured}', which is not a Staff ID ({StaffMember.StaffIdMinLength} to " +
                $"{StaffMember.StaffIdMaxLength} digits). No state administrator was made. Correct the setting and restart the console.");
        }
        var person = await db.StaffMembers.AsNoTracking().Where(s => s.StaffId == configured)
            .Select(s => new { s.Id, Name = s.FirstName + " " + s.LastName, s.EmploymentStatus }).SingleOrDefaultAsync(ct);
        if (person is null)
        {
            return Log(LogLevel.Error, BootstrapOutcome.UnknownStaffId,
                $"{BootstrapOptions.StateAdministratorKey} names Staff ID {configured}, which is not in the staff directory. No state " +
                "administrator was made. Import the staff directory (see the README, Going live), or correct the Staff ID, then restart the console.");
        }
        if (person.EmploymentStatus != EmploymentStatus.Active)
        {
            return Log(LogLevel.Error, BootstrapOutcome.EmploymentEnded,
                $"{BootstrapOptions.StateAdministratorKey} names Staff ID {configured} ({person.Name}), whose employment has ended. No state " +
                "administrator was made. Set the Staff ID of an active staff member and restart the console.");
        }
        var assignment = NewAssignment(person.Id, null);
        db.StateAdministrators.Add(assignment);
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsSystemAsync(db, AuditLog.BootstrapActorName, clock.GetUtcNow(), Added(assignment, configured), ct);
        await transaction.CommitAsync(ct);
        Publish(null, person.Id);
        return Log(LogLevel.Information, BootstrapOutcome.Made,
            $"{BootstrapOptions.StateAdministratorKey}: made {person.Name} (Staff ID {configured}) the first state administrator. " +
            $"They add further state administrators on {PagePath}; the setting is ignored from now on and can be removed.");
    }

    private const string LastOneMessage =
        "This is the last active state administrator, and the console needs at least one. Add another state administrator first, then end this one.";

    /// <summary>
    /// State administrators who count: the assignment is in force and the person is still employed. The bootstrap and
    /// the first directory import (which runs only while there is none) both go by this rule.
    /// </summary>
    internal static IQueryable<StateAdministratorAssignment> ActiveAdministrators(EserSecurityDbContext db, DateOnly today) =>
        db.StateAdministrators.ActiveOn(today).Where(a => a.StaffMember!.EmploymentStatus == EmploymentStatus.Active);

    private StateAdministratorAssignment NewAssignment(int staffMemberId, int? addedById) =>
        new() { StaffMemberId = staffMemberId, StartsOn = clock.Today(), AddedAt = clock.GetUtcNow(), AddedById = addedById };

    private static AuditEntry Added(StateAdministratorAssignment assignment, string staffId) =>
        new("StateAdministrator.Added", nameof(StateAdministratorAssignment), Id(assignment.Id), null, null,
            new { assignment.StaffMemberId, staffId, startsOn = assignment.StartsOn });

    private BootstrapResult Log(LogLevel level, BootstrapOutcome outcome, string message)
    {
        logger.Log(level, "{BootstrapMessage}", message);
        return new BootstrapResult(outcome, message);
    }

    private void Publish(int? actorId, int subjectStaffMemberId)
    {
        // Kept read scopes go first, so no read after this sees the old administrators. The list follows the first
        // change; the second is the scope change every page of the person added or ended already follows (navigation, queues).
        scopes.Forget();
        var now = clock.GetUtcNow();
        changes.Publish(new AccessChange(AccessChangeKind.StateAdministratorsChanged, null, null, null, actorId, now, subjectStaffMemberId));
        changes.Publish(new AccessChange(AccessChangeKind.AssignmentChanged, null, null, null, actorId, now, subjectStaffMemberId));
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
