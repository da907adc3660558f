using System.Globalization;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace EserSecurity.Core.Coordinators;

/// <summary>
/// The coordinator tree: who coordinates and supervises each school system, school and group, the coverage gaps,
/// and the changes to it. State administrators name district coordinators and supervisors; a district coordinator
/// names the local coordinators and groups of their own school system. Changes take effect at once: routing reads
/// the assignments in force today on every call.
/// </summary>
public sealed class CoordinatorService(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, IAccessChangeFeed changes, TimeProvider clock)
{
    /// <summary>The school systems the caller may see, with district coordinators, supervisors and coverage flags.</summary>
    public async Task<IReadOnlyList<SchoolSystemNode>> GetSchoolSystemsAsync(
        Caller caller, string? search = null, bool gapsOnly = false, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        var query = VisibleSchoolSystems(db, scope);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            query = query.Where(s => s.Name.Contains(term) || s.Code.StartsWith(term)
                || s.Schools.Any(x => x.Name.Contains(term) || x.SiteCode.StartsWith(term)));
        }
        var systems = await query.OrderBy(s => s.Code).Select(s => new { s.Id, s.Code, s.Name, Schools = s.Schools.Count }).ToListAsync(ct);
        var ids = systems.Select(s => s.Id).ToList();
        var today = clock.Today();

        var district = (await db.CoordinatorAssignments.AsNoTracking().ActiveOn(today)
                .Where(a => ids.Contains(a.SchoolSystemId) && a.Coverage == CoordinatorCoverage.SchoolSystem)
                .Select(a => new { a.SchoolSystemId, Person = Person(a.Id, a.StaffMember!, a.StartsOn, a.EndsOn) })
                .ToListAsync(ct))
            .ToLookup(a => a.SchoolSystemId, a => a.Person);
        var supervisors = (await db.SupervisorAssignments.AsNoTracking().ActiveOn(today)
                .Where(a => ids.Contains(a.SchoolSystemId))
                .Select(a => new { a.SchoolSystemId, Person = Person(a.Id, a.StaffMember!, a.StartsOn, a.EndsOn) })
                .ToListAsync(ct))
            .ToLookup(a => a.SchoolSystemId, a => a.Person);
        var exceptions = (await db.SeparationExceptions.AsNoTracking()
                .Where(e => ids.Contains(e.SchoolSystemId) && e.EndedAt == null)
                .OrderBy(e => e.RecordedAt)
                .Select(e => new
                {
                    e.SchoolSystemId,
                    View = new SeparationExceptionView(e.Id, e.StaffMemberId, e.StaffMember!.FirstName + " " + e.StaffMember.LastName, e.Reason, e.RecordedAt,
                        db.StaffMembers.Where(p => p.Id == e.RecordedById).Select(p => p.FirstName + " " + p.LastName).Single()),
                })
                .ToListAsync(ct))
            .ToLookup(e => e.SchoolSystemId, e => e.View);
        var deputies = await DeputyService.CurrentAsync(db, ids, today, ct);
        var covered = (await CoveredSchoolIds(db, today).ToListAsync(ct)).ToHashSet();
        var schoolsBySystem = (await db.Schools.AsNoTracking().Where(s => ids.Contains(s.SchoolSystemId))
                .Select(s => new { s.Id, s.SchoolSystemId }).ToListAsync(ct))
            .ToLookup(s => s.SchoolSystemId, s => s.Id);

        var nodes = systems.Select(s => new SchoolSystemNode(s.Id, s.Code, s.Name,
            district[s.Id].OrderBy(p => p.Name).ToList(), supervisors[s.Id].OrderBy(p => p.Name).ToList(), s.Schools,
            schoolsBySystem[s.Id].Count(id => !covered.Contains(id)), exceptions[s.Id].ToList(), deputies[s.Id].ToList())).ToList();
        return gapsOnly ? nodes.Where(n => n.BreaksMinimum).ToList() : nodes;
    }

    /// <summary>The schools and groups of one school system, with each school's local coordinators.</summary>
    public async Task<SchoolSystemChildren> GetChildrenAsync(Caller caller, int schoolSystemId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        scope.DemandViewSchoolSystem(schoolSystemId, "see this school system's coordinators");
        var today = clock.Today();

        var local = await db.CoordinatorAssignments.AsNoTracking().ActiveOn(today)
            .Where(a => a.SchoolSystemId == schoolSystemId && a.Coverage != CoordinatorCoverage.SchoolSystem)
            .Select(a => new { a.SchoolId, a.SchoolGroupId, Person = Person(a.Id, a.StaffMember!, a.StartsOn, a.EndsOn) })
            .ToListAsync(ct);
        var groups = await db.SchoolGroups.AsNoTracking().Where(g => g.SchoolSystemId == schoolSystemId).OrderBy(g => g.Name)
            .Select(g => new { g.Id, g.Name, Schools = g.Members.OrderBy(m => m.School!.Name).Select(m => new { m.SchoolId, m.School!.Name }).ToList() })
            .ToListAsync(ct);
        var schools = await db.Schools.AsNoTracking().Where(s => s.SchoolSystemId == schoolSystemId).OrderBy(s => s.Name)
            .Select(s => new { s.Id, s.SiteCode, s.Name }).ToListAsync(ct);

        var schoolNodes = schools.Select(s => new SchoolNode(s.Id, s.SiteCode, s.Name,
            local.Where(a => a.SchoolId == s.Id).Select(a => new LocalCoordinatorOnSchool(a.Person, null))
                .Concat(groups.Where(g => g.Schools.Any(x => x.SchoolId == s.Id))
                    .SelectMany(g => local.Where(a => a.SchoolGroupId == g.Id).Select(a => new LocalCoordinatorOnSchool(a.Person, g.Name))))
                .ToList())).ToList();
        var groupNodes = groups.Select(g => new SchoolGroupNode(g.Id, g.Name, g.Schools.Select(x => (x.SchoolId, x.Name)).ToList(),
            local.Where(a => a.SchoolGroupId == g.Id).Select(a => a.Person).ToList())).ToList();
        return new SchoolSystemChildren(schoolNodes, groupNodes);
    }

    /// <summary>How many school systems in the caller's view break the minimum of one district coordinator.</summary>
    public async Task<CoverageSummary> GetCoverageSummaryAsync(Caller caller, CancellationToken ct = default) =>
        Summarize(await GetSchoolSystemsAsync(caller, ct: ct));

    /// <summary>
    /// The coordinator tree as the page shows it: the school systems in the caller's view (those the search finds, or
    /// only those breaking the minimum), the schools and groups of each open school system, the schools the search
    /// matched, and the coverage of the whole view. A school system is open when it was open before and is still
    /// shown, when the search matched one of its schools, or when it is the only one shown.
    /// </summary>
    public async Task<CoordinatorTree> GetTreeAsync(
        Caller caller, string? search, bool gapsOnly, IReadOnlyCollection<int> open, CancellationToken ct = default)
    {
        var systems = await GetSchoolSystemsAsync(caller, search, gapsOnly, ct);
        var summary = string.IsNullOrWhiteSpace(search) && !gapsOnly ? Summarize(systems) : await GetCoverageSummaryAsync(caller, ct);
        var matched = string.IsNullOrWhiteSpace(search) ? [] : (await SearchAsync(caller, search, 50, ct)).Where(h => h.SchoolId is not null).ToList();
        var opening = open.Concat(matched.Select(h => h.SchoolSystemId)).ToHashSet();
        if (systems.Count == 1)
        {
            opening.Add(systems[0].Id);
        }
        var children = new Dictionary<int, SchoolSystemChildren>();
        foreach (var system in systems.Where(s => opening.Contains(s.Id)))
        {
            children[system.Id] = await GetChildrenAsync(caller, system.Id, ct);
        }
        return new CoordinatorTree(systems, children, matched.Select(h => h.SchoolId!.Value).ToHashSet(), summary);
    }

    /// <summary>
    /// Whether a published change concerns the reader's <see cref="GetTreeAsync"/>: an assignment or group change in a
    /// school system the reader sees (or in none, which concerns everyone), or one that changes the reader's own
    /// assignments and so which school systems the reader sees.
    /// </summary>
    public static bool Concerns(AccessChange change, AccessScope reader) =>
        change.Kind is AccessChangeKind.AssignmentChanged or AccessChangeKind.SeparationExceptionChanged
        && (change.SchoolSystemId is not int schoolSystemId
            || reader.CanViewSchoolSystem(schoolSystemId)
            || ScopeService.ConcernsOwnScope(change, reader.StaffMemberId));

    /// <summary>School systems and schools whose name or code matches, so the tree can open the path to each.</summary>
    public async Task<IReadOnlyList<TreeSearchHit>> SearchAsync(Caller caller, string term, int max = 20, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(term))
        {
            return [];
        }
        term = term.Trim();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        var visible = VisibleSchoolSystems(db, scope).Select(s => s.Id);
        var systems = await db.SchoolSystems.AsNoTracking().Where(s => visible.Contains(s.Id) && (s.Name.Contains(term) || s.Code.StartsWith(term)))
            .OrderBy(s => s.Code).Take(max).Select(s => new TreeSearchHit(s.Id, null, s.Code + " " + s.Name)).ToListAsync(ct);
        var schools = await db.Schools.AsNoTracking().Where(s => visible.Contains(s.SchoolSystemId) && (s.Name.Contains(term) || s.SiteCode.StartsWith(term)))
            .OrderBy(s => s.SiteCode).Take(max).Select(s => new TreeSearchHit(s.SchoolSystemId, s.Id, s.SiteCode + " " + s.Name)).ToListAsync(ct);
        return systems.Concat(schools).Take(max).ToList();
    }

    /// <summary>Active staff of the school system matching a name or Staff ID, to pick for an assignment.</summary>
    public async Task<IReadOnlyList<AssignableStaff>> FindAssignableStaffAsync(
        Caller caller, int schoolSystemId, string? search, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        scope.DemandAdministerSchoolSystem(schoolSystemId, "assign coordinators in this school system");
        return await FindActiveStaffAsync(db, schoolSystemId, search, ct);
    }

    /// <summary>The first 20 active staff of the school system whose name or Staff ID matches; the caller checks the scope.</summary>
    internal static async Task<IReadOnlyList<AssignableStaff>> FindActiveStaffAsync(
        EserSecurityDbContext db, int schoolSystemId, string? search, CancellationToken ct)
    {
        var people = db.StaffMembers.AsNoTracking().Where(s => s.SchoolSystemId == schoolSystemId && s.EmploymentStatus == EmploymentStatus.Active);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            people = people.Where(s => s.LastName.StartsWith(term) || s.FirstName.StartsWith(term) || s.StaffId == term
                || (s.FirstName + " " + s.LastName).StartsWith(term));
        }
        return await people.OrderBy(s => s.LastName).ThenBy(s => s.FirstName).Take(20)
            .Select(s => new AssignableStaff(s.Id, s.FirstName + " " + s.LastName, s.StaffId, s.Position)).ToListAsync(ct);
    }

    /// <summary>Names a district security coordinator. State administrators only.</summary>
    public async Task<int> AssignDistrictCoordinatorAsync(
        Caller caller, int schoolSystemId, int staffMemberId, DateOnly? startsOn = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        scope.DemandStateAdministrator("name district security coordinators");
        return await AddCoordinatorAsync(db, caller, schoolSystemId, staffMemberId, CoordinatorCoverage.SchoolSystem, null, null, startsOn, ct);
    }

    /// <summary>Names a local coordinator for one school or a named group. The school system's district coordinators (or a state administrator).</summary>
    public async Task<int> AssignLocalCoordinatorAsync(
        Caller caller, int schoolSystemId, int staffMemberId, LocalCoverage coverage, DateOnly? startsOn = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        scope.DemandAdministerSchoolSystem(schoolSystemId, "name local coordinators in this school system");
        if ((coverage.SchoolId is null) == (coverage.SchoolGroupId is null))
        {
            throw new CoordinatorRefusedException("Choose either one school or one group of schools.");
        }
        if (coverage.SchoolId is int schoolId && !await db.Schools.AnyAsync(s => s.Id == schoolId && s.SchoolSystemId == schoolSystemId, ct))
        {
            throw new CoordinatorRefusedException("That school is not part of this school system.");
        }
        if (coverage.SchoolGroupId is int groupId && !await db.SchoolGroups.AnyAsync(g => g.Id == groupId && g.SchoolSystemId == schoolSystemId, ct))
        {
            throw new CoordinatorRefusedException("That group is not part of this school system.");
        }
        var kind = coverage.SchoolId is not null ? CoordinatorCoverage.School : CoordinatorCoverage.SchoolGroup;
        return await AddCoordinatorAsync(db, caller, schoolSystemId, staffMemberId, kind, coverage.SchoolId, coverage.SchoolGroupId, startsOn, ct);
    }

    /// <summary>Names the school system's special education supervisor. State administrators only.</summary>
    public async Task<int> AssignSupervisorAsync(Caller caller, int schoolSystemId, int staffMemberId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        scope.DemandStateAdministrator("name special education supervisors");
        await DemandActiveStaffOfAsync(db, schoolSystemId, staffMemberId, ct);
        var today = clock.Today();
        await using var transaction = await db.BeginWriteAsync(ct);
        if (await IsSupervisorAsync(db, schoolSystemId, staffMemberId, today, ct))
        {
            throw new CoordinatorRefusedException("That person is already this school system's supervisor.");
        }
        if (await IsDistrictCoordinatorAsync(db, schoolSystemId, staffMemberId, today, ct)
            && !await HasSeparationExceptionAsync(db, schoolSystemId, staffMemberId, ct))
        {
            throw new CoordinatorRefusedException(SeparationRefusal("a district security coordinator", "supervisor"));
        }
        var assignment = new SupervisorAssignment { StaffMemberId = staffMemberId, SchoolSystemId = schoolSystemId, StartsOn = today };
        db.SupervisorAssignments.Add(assignment);
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, caller, clock.GetUtcNow(), new AuditEntry("Supervisor.Assigned", nameof(SupervisorAssignment),
            Id(assignment.Id), schoolSystemId, null, new { staffMemberId, startsOn = today }), ct);
        await transaction.CommitAsync(ct);
        Publish(schoolSystemId, null, caller, staffMemberId);
        return assignment.Id;
    }

    /// <summary>
    /// Ends a coordinator assignment today. District coordinators are ended by state administrators, local ones by
    /// their school system's district coordinators. The last district coordinator of a school system cannot be ended.
    /// </summary>
    public async Task EndCoordinatorAsync(Caller caller, int assignmentId, string reason, CancellationToken ct = default)
    {
        reason = AssignmentPeriods.RequireEndReason(reason);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        var today = clock.Today();
        await using var transaction = await db.BeginWriteAsync(ct);
        var assignment = await db.CoordinatorAssignments.SingleOrDefaultAsync(a => a.Id == assignmentId, ct);
        // One answer for "missing" and "another school system's", so ids cannot be probed.
        if (assignment is null || !scope.CanAdministerSchoolSystem(assignment.SchoolSystemId))
        {
            throw scope.Refuse("That assignment does not exist or is outside your scope.");
        }
        if (assignment.Coverage == CoordinatorCoverage.SchoolSystem)
        {
            scope.DemandStateAdministrator("end a district security coordinator");
        }
        else
        {
            scope.DemandAdministerSchoolSystem(assignment.SchoolSystemId, "end a local coordinator of this school system");
        }
        assignment.RefuseEnded(today);
        if (assignment.Coverage == CoordinatorCoverage.SchoolSystem)
        {
            var others = await db.CoordinatorAssignments.ActiveOn(today).CountAsync(a => a.SchoolSystemId == assignment.SchoolSystemId
                && a.Id != assignment.Id && a.Coverage == CoordinatorCoverage.SchoolSystem
                && a.StaffMember!.EmploymentStatus == EmploymentStatus.Active, ct);
            if (others == 0)
            {
                throw new CoordinatorRefusedException(
                    "This is the school system's last district security coordinator, and every school system needs at least one. Name another district coordinator first, then end this one.");
            }
        }
        await EndAsync(db, transaction, caller, assignment, reason, "Coordinator.Ended", assignment.SchoolId, ct);
    }

    /// <summary>Ends a supervisor assignment today. State administrators only.</summary>
    public async Task EndSupervisorAsync(Caller caller, int assignmentId, string reason, CancellationToken ct = default)
    {
        reason = AssignmentPeriods.RequireEndReason(reason);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        scope.DemandStateAdministrator("end a special education supervisor");
        var today = clock.Today();
        await using var transaction = await db.BeginWriteAsync(ct);
        var assignment = await db.SupervisorAssignments.SingleOrDefaultAsync(a => a.Id == assignmentId, ct)
            ?? throw new CoordinatorRefusedException("That supervisor assignment does not exist or has already ended.");
        assignment.RefuseEnded(today);
        await EndAsync(db, transaction, caller, assignment, reason, "Supervisor.Ended", null, ct);
    }

    /// <summary>Creates a named group of schools of one school system. Its district coordinators (or a state administrator).</summary>
    public async Task<int> CreateGroupAsync(Caller caller, int schoolSystemId, string name, IReadOnlyCollection<int> schoolIds, CancellationToken ct = default)
    {
        name = RequireGroupName(name);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        scope.DemandAdministerSchoolSystem(schoolSystemId, "create groups of schools in this school system");
        await DemandSchoolsOfAsync(db, schoolSystemId, schoolIds, ct);
        await using var transaction = await db.BeginWriteAsync(ct);
        if (await db.SchoolGroups.AnyAsync(g => g.SchoolSystemId == schoolSystemId && g.Name == name, ct))
        {
            throw new CoordinatorRefusedException($"This school system already has a group named “{name}”.");
        }
        var group = new SchoolGroup { SchoolSystemId = schoolSystemId, Name = name };
        group.Members.AddRange(schoolIds.Distinct().Select(id => new SchoolGroupMember { SchoolId = id }));
        db.SchoolGroups.Add(group);
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, caller, clock.GetUtcNow(), new AuditEntry("SchoolGroup.Created", nameof(SchoolGroup),
            Id(group.Id), schoolSystemId, null, new { name, schoolIds = schoolIds.Distinct().Order().ToList() }), ct);
        await transaction.CommitAsync(ct);
        Publish(schoolSystemId, null, caller, null);
        return group.Id;
    }

    /// <summary>Renames a group and sets its member schools; coordinators of the group cover the new set at once.</summary>
    public async Task UpdateGroupAsync(Caller caller, int groupId, string name, IReadOnlyCollection<int> schoolIds, CancellationToken ct = default)
    {
        name = RequireGroupName(name);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        await using var transaction = await db.BeginWriteAsync(ct);
        var group = await db.SchoolGroups.Include(g => g.Members).SingleOrDefaultAsync(g => g.Id == groupId, ct);
        // One answer for "missing" and "another school system's", so ids cannot be probed.
        if (group is null || !scope.CanAdministerSchoolSystem(group.SchoolSystemId))
        {
            throw scope.Refuse("That group does not exist or is outside your scope.");
        }
        await DemandSchoolsOfAsync(db, group.SchoolSystemId, schoolIds, ct);
        if (await db.SchoolGroups.AnyAsync(g => g.SchoolSystemId == group.SchoolSystemId && g.Name == name && g.Id != groupId, ct))
        {
            throw new CoordinatorRefusedException($"This school system already has a group named “{name}”.");
        }
        var before = new { group.Name, schoolIds = group.Members.Select(m => m.SchoolId).Order().ToList() };
        group.Name = name;
        var wanted = schoolIds.ToHashSet();
        db.SchoolGroupMembers.RemoveRange(group.Members.Where(m => !wanted.Contains(m.SchoolId)));
        foreach (var id in wanted.Where(id => group.Members.All(m => m.SchoolId != id)))
        {
            group.Members.Add(new SchoolGroupMember { SchoolGroupId = group.Id, SchoolId = id });
        }
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, caller, clock.GetUtcNow(), new AuditEntry("SchoolGroup.Updated", nameof(SchoolGroup),
            Id(group.Id), group.SchoolSystemId, before, new { name, schoolIds = wanted.Order().ToList() }), ct);
        await transaction.CommitAsync(ct);
        Publish(group.SchoolSystemId, null, caller, null);
    }

    /// <summary>
    /// Records that one person may be both a district coordinator and the supervisor of a school system, with the
    /// reason. State administrators only; audited; shown on the tree until it is ended.
    /// </summary>
    public async Task<int> RecordSeparationExceptionAsync(
        Caller caller, int schoolSystemId, int staffMemberId, string reason, CancellationToken ct = default)
    {
        reason = RequireExceptionReason(reason);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        scope.DemandStateAdministrator("record an exception to the separation of duties");
        await DemandActiveStaffOfAsync(db, schoolSystemId, staffMemberId, ct);
        await using var transaction = await db.BeginWriteAsync(ct);
        if (await HasSeparationExceptionAsync(db, schoolSystemId, staffMemberId, ct))
        {
            throw new CoordinatorRefusedException("An exception for that person in this school system is already recorded.");
        }
        var exception = new SeparationException
        {
            StaffMemberId = staffMemberId,
            SchoolSystemId = schoolSystemId,
            Reason = reason,
            RecordedAt = clock.GetUtcNow(),
            RecordedById = caller.StaffMemberId,
        };
        db.SeparationExceptions.Add(exception);
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, caller, clock.GetUtcNow(), new AuditEntry("SeparationException.Recorded", nameof(SeparationException),
            Id(exception.Id), schoolSystemId, null, new { staffMemberId, reason }), ct);
        await transaction.CommitAsync(ct);
        changes.Publish(new AccessChange(AccessChangeKind.SeparationExceptionChanged, schoolSystemId, null, null, caller.StaffMemberId, clock.GetUtcNow(), staffMemberId));
        return exception.Id;
    }

    /// <summary>
    /// Ends a separation-of-duties exception. State administrators only. Refused while the person still holds both
    /// assignments: one of them ends first.
    /// </summary>
    public async Task EndSeparationExceptionAsync(Caller caller, int exceptionId, string reason, CancellationToken ct = default)
    {
        reason = RequireExceptionReason(reason);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        scope.DemandStateAdministrator("end an exception to the separation of duties");
        var today = clock.Today();
        await using var transaction = await db.BeginWriteAsync(ct);
        var exception = await db.SeparationExceptions.SingleOrDefaultAsync(e => e.Id == exceptionId && e.EndedAt == null, ct)
            ?? throw new CoordinatorRefusedException("That exception does not exist or has already ended.");
        if (await IsDistrictCoordinatorAsync(db, exception.SchoolSystemId, exception.StaffMemberId, today, ct)
            && await IsSupervisorAsync(db, exception.SchoolSystemId, exception.StaffMemberId, today, ct))
        {
            throw new CoordinatorRefusedException(
                "That person is still both district coordinator and supervisor here. End one of the two assignments first, then the exception.");
        }
        exception.EndedAt = clock.GetUtcNow();
        exception.EndedById = caller.StaffMemberId;
        exception.EndReason = reason;
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, caller, clock.GetUtcNow(), new AuditEntry("SeparationException.Ended", nameof(SeparationException),
            Id(exception.Id), exception.SchoolSystemId, new { endedAt = (DateTimeOffset?)null }, new { endedAt = exception.EndedAt, reason }), ct);
        await transaction.CommitAsync(ct);
        changes.Publish(new AccessChange(AccessChangeKind.SeparationExceptionChanged, exception.SchoolSystemId, null, null, caller.StaffMemberId,
            clock.GetUtcNow(), exception.StaffMemberId));
    }

    /// <summary>Pending requests that reach no coordinator because their school system has no active district coordinator.</summary>
    public async Task<IReadOnlyList<UnroutedRequest>> GetUnroutedRequestsAsync(Caller caller, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        scope.DemandStateAdministrator("see unrouted requests");
        var today = clock.Today();
        var active = db.CoordinatorAssignments.ActiveOn(today);
        var covered = CoveredSchoolIds(db, today);
        return await db.AccessRequests.AsNoTracking()
            .Where(r => r.Status == AccessRequestStatus.PendingCoordinator
                && !active.Any(a => a.SchoolSystemId == r.SchoolSystemId && a.Coverage == CoordinatorCoverage.SchoolSystem)
                && (r.SchoolId == null || !covered.Contains(r.SchoolId.Value)))
            .OrderBy(r => r.SubmittedAt)
            .Select(r => new UnroutedRequest(r.Id, r.Requester!.FirstName + " " + r.Requester.LastName, r.EserRole!.Name, r.SchoolSystem!.Name,
                r.School != null ? r.School.Name : r.SchoolSystem.Name, r.SubmittedAt))
            .ToListAsync(ct);
    }

    private async Task<int> AddCoordinatorAsync(
        EserSecurityDbContext db, Caller caller, int schoolSystemId, int staffMemberId, CoordinatorCoverage coverage,
        int? schoolId, int? groupId, DateOnly? startsOn, CancellationToken ct)
    {
        var today = clock.Today();
        var start = startsOn ?? today;
        if (start < today)
        {
            throw new CoordinatorRefusedException("An assignment cannot start in the past.");
        }
        await DemandActiveStaffOfAsync(db, schoolSystemId, staffMemberId, ct);
        await using var transaction = await db.BeginWriteAsync(ct);
        if (await db.CoordinatorAssignments.AnyAsync(a => a.StaffMemberId == staffMemberId && a.SchoolSystemId == schoolSystemId
                && a.Coverage == coverage && a.SchoolId == schoolId && a.SchoolGroupId == groupId && (a.EndsOn == null || a.EndsOn > today), ct))
        {
            throw new CoordinatorRefusedException("That person already holds this assignment.");
        }
        if (coverage == CoordinatorCoverage.SchoolSystem
            && await IsSupervisorAsync(db, schoolSystemId, staffMemberId, today, ct)
            && !await HasSeparationExceptionAsync(db, schoolSystemId, staffMemberId, ct))
        {
            throw new CoordinatorRefusedException(SeparationRefusal("the special education supervisor", "district security coordinator"));
        }
        var assignment = new CoordinatorAssignment
        {
            StaffMemberId = staffMemberId,
            SchoolSystemId = schoolSystemId,
            Coverage = coverage,
            SchoolId = schoolId,
            SchoolGroupId = groupId,
            StartsOn = start,
        };
        db.CoordinatorAssignments.Add(assignment);
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, caller, clock.GetUtcNow(), new AuditEntry("Coordinator.Assigned", nameof(CoordinatorAssignment),
            Id(assignment.Id), schoolSystemId, null, new { staffMemberId, coverage = coverage.ToString(), schoolId, schoolGroupId = groupId, startsOn = start }), ct);
        await transaction.CommitAsync(ct);
        Publish(schoolSystemId, schoolId, caller, staffMemberId);
        return assignment.Id;
    }

    /// <summary>Ends an assignment today: who ended it, when and why stay in the record and in the audit log.</summary>
    private async Task EndAsync<T>(
        EserSecurityDbContext db, IDbContextTransaction transaction, Caller caller, T assignment, string reason, string auditAction,
        int? schoolId, CancellationToken ct) where T : class, IEndableAssignment
    {
        var ended = assignment.End(clock.GetUtcNow(), clock.Today(), caller.StaffMemberId, reason);
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, caller, clock.GetUtcNow(), ended.Audit(auditAction, assignment), ct);
        await transaction.CommitAsync(ct);
        Publish(assignment.SchoolSystemId, schoolId, caller, assignment.StaffMemberId);
    }

    private static async Task DemandActiveStaffOfAsync(EserSecurityDbContext db, int schoolSystemId, int staffMemberId, CancellationToken ct)
    {
        if (!await db.StaffMembers.AnyAsync(s => s.Id == staffMemberId && s.SchoolSystemId == schoolSystemId && s.EmploymentStatus == EmploymentStatus.Active, ct))
        {
            throw new CoordinatorRefusedException("Only an active staff member of this school system can be given this assignment.");
        }
    }

    /// <summary>Whether the person holds or will hold (not ended by <paramref name="today"/>) a district coordinator assignment there.</summary>
    private static Task<bool> IsDistrictCoordinatorAsync(EserSecurityDbContext db, int schoolSystemId, int staffMemberId, DateOnly today, CancellationToken ct) =>
        db.CoordinatorAssignments.AnyAsync(a => a.SchoolSystemId == schoolSystemId && a.StaffMemberId == staffMemberId
            && a.Coverage == CoordinatorCoverage.SchoolSystem && (a.EndsOn == null || a.EndsOn > today), ct);

    /// <summary>Whether the person holds or will hold (not ended by <paramref name="today"/>) the school system's supervisor assignment.</summary>
    private static Task<bool> IsSupervisorAsync(EserSecurityDbContext db, int schoolSystemId, int staffMemberId, DateOnly today, CancellationToken ct) =>
        db.SupervisorAssignments.AnyAsync(a => a.SchoolSystemId == schoolSystemId && a.StaffMemberId == staffMemberId
            && (a.EndsOn == null || a.EndsOn > today), ct);

    private static Task<bool> HasSeparationExceptionAsync(EserSecurityDbContext db, int schoolSystemId, int staffMemberId, CancellationToken ct) =>
        db.SeparationExceptions.AnyAsync(e => e.SchoolSystemId == schoolSystemId && e.StaffMemberId == staffMemberId && e.EndedAt == null, ct);

    private static string SeparationRefusal(string heldRole, string wantedRole) =>
        $"That person is already {heldRole} of this school system. One person cannot be both district coordinator and supervisor of one school system, so that requests for IEP Forms pass two people; a state administrator can record an exception with a reason before naming them {wantedRole}.";

    private static string RequireExceptionReason(string reason)
    {
        reason = reason?.Trim() ?? "";
        if (reason.Length is 0 or > SeparationException.ReasonMaxLength)
        {
            throw new CoordinatorRefusedException($"Give the reason in 1 to {SeparationException.ReasonMaxLength} characters.");
        }
        return TextRules.ProseProblem(reason, "the reason", SeparationException.ReasonMaxLength) is { } problem ? throw new CoordinatorRefusedException(problem) : reason;
    }

    private static async Task DemandSchoolsOfAsync(EserSecurityDbContext db, int schoolSystemId, IReadOnlyCollection<int> schoolIds, CancellationToken ct)
    {
        var ids = schoolIds.Distinct().ToList();
        if (ids.Count < 2)
        {
            throw new CoordinatorRefusedException("A group needs at least two schools; for one school, name a school coordinator instead.");
        }
        if (await db.Schools.CountAsync(s => ids.Contains(s.Id) && s.SchoolSystemId == schoolSystemId, ct) != ids.Count)
        {
            throw new CoordinatorRefusedException("Every school of a group must belong to this school system.");
        }
    }

    /// <summary>Schools that an active local coordinator covers, directly or through a group.</summary>
    private static IQueryable<int> CoveredSchoolIds(EserSecurityDbContext db, DateOnly today)
    {
        var local = db.CoordinatorAssignments.ActiveOn(today).Where(a => a.Coverage != CoordinatorCoverage.SchoolSystem);
        return local.Where(a => a.SchoolId != null).Select(a => a.SchoolId!.Value)
            .Concat(db.SchoolGroupMembers.Where(m => local.Any(a => a.SchoolGroupId == m.SchoolGroupId)).Select(m => m.SchoolId));
    }

    private static IQueryable<SchoolSystems.SchoolSystem> VisibleSchoolSystems(EserSecurityDbContext db, AccessScope scope)
    {
        if (scope.IsStateAdministrator)
        {
            return db.SchoolSystems.AsNoTracking();
        }
        var visible = scope.DistrictSchoolSystemIds.Concat(scope.SupervisedSchoolSystemIds).Concat(scope.LocalSchoolSystemIds).Distinct().ToArray();
        return db.SchoolSystems.AsNoTracking().Where(s => visible.Contains(s.Id));
    }

    private static CoverageSummary Summarize(IReadOnlyList<SchoolSystemNode> nodes) =>
        new(nodes.Count, nodes.Count(n => n.BreaksMinimum), nodes.Sum(n => n.SchoolsCoveredByDistrictOnly));

    private static AssignedPerson Person(int assignmentId, StaffMember person, DateOnly startsOn, DateOnly? endsOn) =>
        new(assignmentId, person.Id, person.FirstName + " " + person.LastName, person.Position, person.Email,
            person.EmploymentStatus != EmploymentStatus.Active, startsOn, endsOn);

    private void Publish(int schoolSystemId, int? schoolId, Caller caller, int? subject)
    {
        // Kept read scopes go before anyone hears of the change, so no read after this call sees the old routing.
        scopes.Forget();
        changes.Publish(new AccessChange(AccessChangeKind.AssignmentChanged, schoolSystemId, schoolId, null, caller.StaffMemberId, clock.GetUtcNow(), subject));
    }

    private static string RequireGroupName(string name)
    {
        name = name?.Trim() ?? "";
        if (TextRules.NameProblem(name, "the group's name") is { } problem)
        {
            throw new CoordinatorRefusedException(problem);
        }
        return name.Length is > 0 and <= SchoolGroup.NameMaxLength
            ? name
            : throw new CoordinatorRefusedException($"Give the group a name of 1 to {SchoolGroup.NameMaxLength} characters.");
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
