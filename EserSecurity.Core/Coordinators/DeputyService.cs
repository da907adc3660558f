using System.Globalization;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Notifications;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Coordinators;

/// <summary>
/// Deputies for absent coordinators and supervisors. A coordinator or supervisor names their own deputy, and a district
/// coordinator (or a state administrator) names one for any coordinator or supervisor of their school system, for a
/// date range of at most <see cref="Deputyship.MaxDays"/> days. A deputy who coordinates or supervises in that school
/// system is in force at once; anyone else of its staff waits for a district coordinator's approval. While in force
/// the deputy's scope (<see cref="ScopeService"/>) carries the absent person's routing, and each decision records whom
/// it was made for. Every change is audited and published as an assignment change, so scopes and queues follow it.
/// </summary>
public sealed class DeputyService(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, IAccessChangeFeed changes, TimeProvider clock)
{
    /// <summary>Whether a change can alter the reader's deputies page: an assignment change in a school system they see, or one naming them.</summary>
    public static bool ConcernsDeputies(AccessChange change, AccessScope? scope) =>
        scope is not null && change.Kind == AccessChangeKind.AssignmentChanged
        && ((change.SchoolSystemId is int lea && (scope.CanViewSchoolSystem(lea) || scope.Touches(lea, null)))
            || ScopeService.ConcernsOwnScope(change, scope.StaffMemberId));

    /// <summary>
    /// The current, coming and awaiting deputyships that involve the reader (as the absent person, the deputy or the one
    /// who named it) or lie in a school system they administer.
    /// </summary>
    public async Task<IReadOnlyList<DeputyRow>> ListAsync(Caller caller, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        var today = clock.Today();
        var me = caller.StaffMemberId;
        var administered = scope.DistrictSchoolSystemIds.ToArray();
        var all = scope.IsStateAdministrator;
        var rows = await db.Deputyships.AsNoTracking()
            .Where(d => d.CancelledAt == null && d.EndsOn > today
                && (all || d.AbsentId == me || d.DeputyId == me || d.NamedById == me || administered.Contains(d.SchoolSystemId)))
            .OrderBy(d => d.StartsOn).ThenBy(d => d.Id)
            .Select(d => new
            {
                d.Id, d.AbsentId, Absent = d.Absent!.FirstName + " " + d.Absent.LastName, d.DeputyId, Deputy = d.Deputy!.FirstName + " " + d.Deputy.LastName,
                d.SchoolSystemId, SchoolSystem = d.SchoolSystem!.Name, d.StartsOn, EndsOn = d.EndsOn!.Value, d.ApprovedAt, d.NamedById, d.Note,
                NamedBy = db.StaffMembers.Where(s => s.Id == d.NamedById).Select(s => s.FirstName + " " + s.LastName).Single(),
            })
            .ToListAsync(ct);
        return rows.Select(d =>
        {
            var administers = scope.CanAdministerSchoolSystem(d.SchoolSystemId);
            var state = d.ApprovedAt is null ? DeputyState.AwaitingApproval : d.StartsOn > today ? DeputyState.Upcoming : DeputyState.InForce;
            return new DeputyRow(d.Id, d.AbsentId, d.Absent, d.DeputyId, d.Deputy, d.SchoolSystemId, d.SchoolSystem, d.StartsOn, d.EndsOn.AddDays(-1), state,
                d.NamedBy, d.Note, state == DeputyState.AwaitingApproval && administers && d.DeputyId != me,
                administers || d.AbsentId == me || d.DeputyId == me || d.NamedById == me);
        }).ToList();
    }

    /// <summary>Whom the reader may name a deputy for: themselves where they coordinate or supervise, and the coordinators and supervisors of the school systems they administer.</summary>
    public async Task<IReadOnlyList<DeputyAbsentChoice>> GetAbsentChoicesAsync(Caller caller, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await AbsentChoicesAsync(db, await scopes.GetScopeAsync(db, caller.StaffMemberId, ct), clock.Today(), ct);
    }

    private static async Task<IReadOnlyList<DeputyAbsentChoice>> AbsentChoicesAsync(EserSecurityDbContext db, AccessScope scope, DateOnly today, CancellationToken ct)
    {
        var me = scope.StaffMemberId;
        var administered = scope.DistrictSchoolSystemIds.ToArray();
        var all = scope.IsStateAdministrator;
        var coordinators = db.CoordinatorAssignments.AsNoTracking().ActiveOn(today)
            .Where(a => a.StaffMemberId == me || all || administered.Contains(a.SchoolSystemId))
            .Select(a => new { a.StaffMemberId, Name = a.StaffMember!.FirstName + " " + a.StaffMember.LastName, a.SchoolSystemId, SchoolSystem = a.SchoolSystem!.Name });
        var supervisors = db.SupervisorAssignments.AsNoTracking().ActiveOn(today)
            .Where(a => a.StaffMemberId == me || all || administered.Contains(a.SchoolSystemId))
            .Select(a => new { a.StaffMemberId, Name = a.StaffMember!.FirstName + " " + a.StaffMember.LastName, a.SchoolSystemId, SchoolSystem = a.SchoolSystem!.Name });
        var people = (await coordinators.ToListAsync(ct)).Concat(await supervisors.ToListAsync(ct)).Distinct()
            .OrderBy(p => p.StaffMemberId != me).ThenBy(p => p.SchoolSystem).ThenBy(p => p.Name);
        return people.Select(p => new DeputyAbsentChoice(p.StaffMemberId, p.Name, p.SchoolSystemId, p.SchoolSystem, p.StaffMemberId == me)).ToList();
    }

    /// <summary>
    /// Active staff of the school system who could deputize, whose name or Staff ID matches; those who coordinate or
    /// supervise there first. For anyone who sees the school system.
    /// </summary>
    public async Task<IReadOnlyList<DeputyCandidate>> FindCandidatesAsync(Caller caller, int schoolSystemId, string? term, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        scope.DemandViewSchoolSystem(schoolSystemId, "find deputies in this school system");
        var today = clock.Today();
        term = term?.Trim() ?? "";
        var assigned = await AssignedInAsync(db, schoolSystemId, today, ct);
        var people = await db.StaffMembers.AsNoTracking()
            .Where(s => s.EmploymentStatus == EmploymentStatus.Active && (s.SchoolSystemId == schoolSystemId || assigned.Contains(s.Id))
                && (term == "" || (s.FirstName + " " + s.LastName).Contains(term) || s.StaffId.StartsWith(term)))
            .OrderBy(s => !assigned.Contains(s.Id)).ThenBy(s => s.LastName).ThenBy(s => s.FirstName).Take(20)
            .Select(s => new { s.Id, Name = s.FirstName + " " + s.LastName, s.StaffId, s.Position })
            .ToListAsync(ct);
        return people.Select(p => new DeputyCandidate(p.Id, p.Name, p.StaffId, p.Position, assigned.Contains(p.Id))).ToList();
    }

    /// <summary>Names a deputy; returns its id. In force at once, or awaiting a district coordinator's approval (see the class summary).</summary>
    /// <exception cref="ScopeDeniedException">The caller may not name a deputy for that person in that school system.</exception>
    /// <exception cref="DeputyRefusedException">The dates, the people or an overlapping deputyship do not allow it; the message says which.</exception>
    public async Task<int> NameAsync(Caller caller, NewDeputy input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var today = clock.Today();
        var note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim();
        if (note is not null && TextRules.ProseProblem(note, "the note", Deputyship.NoteMaxLength) is { } problem)
        {
            throw new DeputyRefusedException(problem);
        }
        if (note?.Length > Deputyship.NoteMaxLength)
        {
            throw new DeputyRefusedException($"Keep the note to {Deputyship.NoteMaxLength} characters.");
        }
        if (input.FirstDay < today)
        {
            throw new DeputyRefusedException($"The first day, {Day(input.FirstDay)}, has passed: choose today or a later day.");
        }
        if (input.LastDay < input.FirstDay)
        {
            throw new DeputyRefusedException("The last day comes before the first day: choose a last day on or after the first.");
        }
        if (input.LastDay.DayNumber - input.FirstDay.DayNumber + 1 > Deputyship.MaxDays)
        {
            throw new DeputyRefusedException(
                $"A deputy covers at most {Deputyship.MaxDays} days. For a longer absence, name another coordinator or supervisor on the coordinator tree.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.BeginWriteAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        var lea = input.SchoolSystemId;
        var administers = scope.CanAdministerSchoolSystem(lea);
        if (input.AbsentId != caller.StaffMemberId && !administers)
        {
            throw scope.Refuse("You may name a deputy for yourself, or, as district coordinator, for the coordinators and supervisors of your school system.", lea);
        }
        var assigned = await AssignedInAsync(db, lea, input.FirstDay, ct);
        var names = await db.StaffMembers.AsNoTracking().Where(s => s.Id == input.AbsentId || s.Id == input.DeputyId)
            .Select(s => new { s.Id, Name = s.FirstName + " " + s.LastName, s.SchoolSystemId, s.EmploymentStatus }).ToListAsync(ct);
        var absent = names.SingleOrDefault(n => n.Id == input.AbsentId);
        var deputy = names.SingleOrDefault(n => n.Id == input.DeputyId);
        var system = await db.SchoolSystems.AsNoTracking().Where(s => s.Id == lea).Select(s => s.Name).SingleOrDefaultAsync(ct);
        if (absent is null || system is null || !assigned.Contains(absent.Id))
        {
            throw new DeputyRefusedException(
                $"{absent?.Name ?? "That person"} is not a coordinator or supervisor of {system ?? "that school system"} on {Day(input.FirstDay)}: only they have requests to hand to a deputy.");
        }
        if (deputy is null || deputy.EmploymentStatus != EmploymentStatus.Active)
        {
            throw new DeputyRefusedException("Choose a deputy from the list: active staff of the school system.");
        }
        if (deputy.Id == absent.Id)
        {
            throw new DeputyRefusedException("Choose someone else as deputy: the deputy covers for the absent person.");
        }
        var deputyAssigned = assigned.Contains(deputy.Id);
        if (!deputyAssigned && deputy.SchoolSystemId != lea)
        {
            throw new DeputyRefusedException($"{deputy.Name} is not staff of {system}: a deputy comes from the school system's own staff.");
        }
        var endsOn = input.LastDay.AddDays(1);
        var overlap = await db.Deputyships.AsNoTracking()
            .Where(d => d.AbsentId == absent.Id && d.SchoolSystemId == lea && d.CancelledAt == null && d.StartsOn < endsOn && d.EndsOn > input.FirstDay)
            .Select(d => new { Deputy = d.Deputy!.FirstName + " " + d.Deputy.LastName, d.StartsOn, d.EndsOn })
            .FirstOrDefaultAsync(ct);
        if (overlap is not null)
        {
            throw new DeputyRefusedException(
                $"{overlap.Deputy} already deputizes for {absent.Name} from {Day(overlap.StartsOn)} to {Day(overlap.EndsOn!.Value.AddDays(-1))}. Choose days outside that range, or cancel it first.");
        }

        var now = clock.GetUtcNow();
        var approved = deputyAssigned || (administers && caller.StaffMemberId != deputy.Id);
        var entity = new Deputyship
        {
            AbsentId = absent.Id, DeputyId = deputy.Id, SchoolSystemId = lea, StartsOn = input.FirstDay, EndsOn = endsOn, Note = note,
            NamedById = caller.StaffMemberId, NamedAt = now, ApprovedAt = approved ? now : null, ApprovedById = approved ? caller.StaffMemberId : null,
        };
        db.Deputyships.Add(entity);
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, caller, now, new AuditEntry("Deputyship.Named", nameof(Deputyship), Id(entity.Id), lea, null,
            new { absentId = absent.Id, deputyId = deputy.Id, firstDay = input.FirstDay, lastDay = input.LastDay, approved, note }), ct);
        var range = $"from {Day(input.FirstDay)} to {Day(input.LastDay)}";
        var notified = new List<int>();
        if (approved)
        {
            notified.AddRange(await NotificationOutbox.AddAsync(db, [deputy.Id],
                new Notice(NotificationKind.Deputy, $"You are {absent.Name}'s deputy in {system} {range}: their requests reach your queue on those days", "deputies"),
                caller.StaffMemberId, now, ct));
            notified.AddRange(await NotificationOutbox.AddAsync(db, [absent.Id],
                new Notice(NotificationKind.Deputy, $"{await NameOfAsync(db, caller.StaffMemberId, ct)} named {deputy.Name} your deputy in {system} {range}", "deputies"), caller.StaffMemberId, now, ct));
        }
        else
        {
            var deciders = await db.CoordinatorAssignments.ActiveOn(today)
                .Where(a => a.SchoolSystemId == lea && a.Coverage == CoordinatorCoverage.SchoolSystem && a.StaffMemberId != deputy.Id)
                .Select(a => a.StaffMemberId).ToListAsync(ct);
            notified.AddRange(await NotificationOutbox.AddAsync(db, deciders,
                new Notice(NotificationKind.Deputy, $"{absent.Name} asks that {deputy.Name} deputize for them in {system} {range}: approve or cancel it", "deputies"),
                caller.StaffMemberId, now, ct));
        }
        await transaction.CommitAsync(ct);
        Published(db, lea, deputy.Id, caller, now, notified);
        return entity.Id;
    }

    /// <summary>A district coordinator of the school system (or a state administrator) approves a deputy who needed it; never the deputy themselves.</summary>
    public async Task ApproveAsync(Caller caller, int deputyshipId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.BeginWriteAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        var deputyship = await FindAsync(db, deputyshipId, ct);
        if (deputyship is null || !scope.CanAdministerSchoolSystem(deputyship.SchoolSystemId))
        {
            throw scope.Refuse("That deputy does not exist or is outside the school systems you coordinate.", deputyship?.SchoolSystemId);
        }
        if (deputyship.DeputyId == caller.StaffMemberId)
        {
            throw new DeputyRefusedException("You cannot approve yourself as deputy: another district coordinator must.");
        }
        var today = clock.Today();
        if (deputyship.CancelledAt is not null || deputyship.EndsOn <= today || deputyship.ApprovedAt is not null)
        {
            throw new DeputyRefusedException(deputyship.ApprovedAt is not null ? "That deputy is already approved." : "That deputyship was cancelled or is over.");
        }
        var now = clock.GetUtcNow();
        deputyship.ApprovedAt = now;
        deputyship.ApprovedById = caller.StaffMemberId;
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, caller, now, new AuditEntry("Deputyship.Approved", nameof(Deputyship), Id(deputyship.Id), deputyship.SchoolSystemId,
            new { approved = false }, new { approved = true }), ct);
        var notified = await NotificationOutbox.AddAsync(db, [deputyship.DeputyId, deputyship.AbsentId],
            new Notice(NotificationKind.Deputy, $"{await NameOfAsync(db, caller.StaffMemberId, ct)} approved {deputyship.Deputy!.FirstName} {deputyship.Deputy.LastName} as deputy for {deputyship.Absent!.FirstName} {deputyship.Absent.LastName} from {Day(deputyship.StartsOn)} to {Day(deputyship.LastDay)}", "deputies"),
            caller.StaffMemberId, now, ct);
        await transaction.CommitAsync(ct);
        Published(db, deputyship.SchoolSystemId, deputyship.DeputyId, caller, now, notified);
    }

    /// <summary>
    /// Cancels a deputyship: one not yet begun never takes effect, one in force ends today. For the absent person, the
    /// deputy, whoever named it, and the school system's district coordinators and state administrators.
    /// </summary>
    public async Task CancelAsync(Caller caller, int deputyshipId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.BeginWriteAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        var deputyship = await FindAsync(db, deputyshipId, ct);
        var me = caller.StaffMemberId;
        if (deputyship is null || !(scope.CanAdministerSchoolSystem(deputyship.SchoolSystemId) || deputyship.AbsentId == me || deputyship.DeputyId == me
            || deputyship.NamedById == me))
        {
            throw scope.Refuse("That deputy does not exist or is not yours to cancel.", deputyship?.SchoolSystemId);
        }
        var today = clock.Today();
        if (deputyship.CancelledAt is not null || deputyship.EndsOn <= today)
        {
            throw new DeputyRefusedException("That deputyship was already cancelled or is over.");
        }
        var now = clock.GetUtcNow();
        var before = deputyship.EndsOn;
        deputyship.EndsOn = deputyship.StartsOn > today ? deputyship.StartsOn : today;
        deputyship.CancelledAt = now;
        deputyship.CancelledById = me;
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, caller, now, new AuditEntry("Deputyship.Cancelled", nameof(Deputyship), Id(deputyship.Id), deputyship.SchoolSystemId,
            new { endsOn = before }, new { endsOn = deputyship.EndsOn, cancelled = true }), ct);
        var notified = await NotificationOutbox.AddAsync(db, [deputyship.DeputyId, deputyship.AbsentId],
            new Notice(NotificationKind.Deputy, $"{await NameOfAsync(db, me, ct)} cancelled {deputyship.Deputy!.FirstName} {deputyship.Deputy.LastName}'s deputyship for {deputyship.Absent!.FirstName} {deputyship.Absent.LastName}", "deputies"),
            me, now, ct);
        await transaction.CommitAsync(ct);
        Published(db, deputyship.SchoolSystemId, deputyship.DeputyId, caller, now, notified);
    }

    /// <summary>The deputies approved and in force today for these people in the school system: who also hears of the requests waiting for them.</summary>
    internal static async Task<IReadOnlyList<int>> CoveringAsync(
        EserSecurityDbContext db, IReadOnlyCollection<int> absentIds, int schoolSystemId, DateOnly today, CancellationToken ct) =>
        absentIds.Count == 0 ? [] : await db.Deputyships.AsNoTracking().ActiveOn(today)
            .Where(d => d.SchoolSystemId == schoolSystemId && d.ApprovedAt != null && d.CancelledAt == null && absentIds.Contains(d.AbsentId)
                && d.Deputy!.EmploymentStatus == EmploymentStatus.Active)
            .Select(d => d.DeputyId).Distinct().ToListAsync(ct);

    /// <summary>The deputies in force today in these school systems, for the coordinator tree.</summary>
    internal static async Task<ILookup<int, CurrentDeputy>> CurrentAsync(EserSecurityDbContext db, IReadOnlyCollection<int> schoolSystemIds, DateOnly today, CancellationToken ct) =>
        (await db.Deputyships.AsNoTracking().ActiveOn(today)
            .Where(d => schoolSystemIds.Contains(d.SchoolSystemId) && d.ApprovedAt != null && d.CancelledAt == null)
            .OrderBy(d => d.Absent!.LastName)
            .Select(d => new { d.SchoolSystemId, Absent = d.Absent!.FirstName + " " + d.Absent.LastName, Deputy = d.Deputy!.FirstName + " " + d.Deputy.LastName, d.EndsOn })
            .ToListAsync(ct))
        .ToLookup(d => d.SchoolSystemId, d => new CurrentDeputy(d.Absent, d.Deputy, d.EndsOn!.Value.AddDays(-1)));

    /// <summary>Everyone holding a coordinator or supervisor assignment in the school system on the day.</summary>
    private static async Task<HashSet<int>> AssignedInAsync(EserSecurityDbContext db, int schoolSystemId, DateOnly day, CancellationToken ct) =>
        (await db.CoordinatorAssignments.AsNoTracking().ActiveOn(day).Where(a => a.SchoolSystemId == schoolSystemId).Select(a => a.StaffMemberId)
            .Concat(db.SupervisorAssignments.AsNoTracking().ActiveOn(day).Where(a => a.SchoolSystemId == schoolSystemId).Select(a => a.StaffMemberId))
            .ToListAsync(ct)).ToHashSet();

    /// <summary>A person's name from their staff record, never from the sign-in token.</summary>
    private static Task<string> NameOfAsync(EserSecurityDbContext db, int staffMemberId, CancellationToken ct) =>
        db.StaffMembers.Where(s => s.Id == staffMemberId).Select(s => s.FirstName + " " + s.LastName).SingleAsync(ct);

    private static Task<Deputyship?> FindAsync(EserSecurityDbContext db, int id, CancellationToken ct) =>
        db.Deputyships.Include(d => d.Absent).Include(d => d.Deputy).SingleOrDefaultAsync(d => d.Id == id, ct);

    private void Published(EserSecurityDbContext db, int schoolSystemId, int deputyId, Caller caller, DateTimeOffset now, IReadOnlyList<int> notified)
    {
        // The deputy's scope changes: forget kept scopes before publishing, so a read right after this sees it.
        scopes.Forget();
        changes.Publish(new AccessChange(AccessChangeKind.AssignmentChanged, schoolSystemId, null, null, caller.StaffMemberId, now, deputyId));
        NotificationOutbox.Publish(db, changes, notified, caller.StaffMemberId, now);
    }

    private static string Day(DateOnly day) => day.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture);

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
