using System.Globalization;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Employment;

/// <summary>
/// The change-of-duties list: school-level grants at schools their holder left, for the coordinators of that school
/// system to keep or end. State administrators see every school system, district coordinators theirs, local
/// coordinators the items at their schools. An item nobody decides by its deadline gets the configured default,
/// applied as the system, whenever the list is read and by <see cref="ChangeOfDutiesDeadlines"/> in the background.
/// </summary>
public sealed class ChangeOfDutiesService(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, IAccessChangeFeed changes, TimeProvider clock,
    IOptions<ChangeOfDutiesOptions> options)
{
    /// <summary>The audit actor of a default applied at the deadline.</summary>
    public const string DefaultActorName = "System: change-of-duties default at the deadline";

    /// <summary>
    /// Whether a change can alter the list <see cref="ReadAsync"/> gives the reader of <paramref name="scope"/>: an item
    /// listed or decided, a grant ended, or an employment change, in a school system the reader coordinates.
    /// </summary>
    public static bool ConcernsList(AccessChange change, AccessScope? scope) =>
        scope is not null
        && change.Kind is AccessChangeKind.ChangeOfDutiesChanged or AccessChangeKind.GrantEnded or AccessChangeKind.EmploymentChanged
        && (scope.IsStateAdministrator || (change.SchoolSystemId is int lea && scope.CoordinatesIn(lea)));

    /// <summary>Whether the reader may see the list at all: state administrators and coordinators.</summary>
    public static bool CanSeeList(AccessScope? scope) => scope is { IsStateAdministrator: true } or { IsCoordinator: true };

    /// <summary>
    /// The items waiting for a decision in the caller's scope, the oldest deadline first. Items past their deadline get
    /// the default first, so nobody decides an item whose time is up.
    /// </summary>
    /// <exception cref="ScopeDeniedException">The caller is neither a state administrator nor a coordinator.</exception>
    public async Task<PagedResult<ChangeOfDutiesRow>> ReadAsync(Caller caller, int page, int pageSize, CancellationToken ct = default)
    {
        await ApplyDueDefaultsAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetReadScopeAsync(db, caller.StaffMemberId, ct);
        if (!CanSeeList(scope))
        {
            throw scope.Refuse("Only coordinators and state administrators see the change-of-duties list.");
        }
        var query = Visible(db.ChangeOfDutiesItems.AsNoTracking().Where(i => i.Decision == null && i.AccessGrant!.EndedAt == null), scope);
        var total = await query.CountAsync(ct);
        var today = clock.Today();
        var rows = await query.OrderBy(i => i.DecideBy).ThenBy(i => i.Id)
            .Skip(Math.Max(0, page) * pageSize).Take(pageSize)
            .Select(i => new
            {
                i.Id, i.StaffMemberId, Name = i.StaffMember!.FirstName + " " + i.StaffMember.LastName, i.StaffMember.StaffId,
                Role = i.AccessGrant!.EserRole!.Name, i.AccessGrant.EserRole.GrantsIepForms, SchoolSystem = i.SchoolSystem!.Name,
                SchoolLeft = i.School!.Name, Current = i.StaffMember.Schools.Select(s => s.School!.Name).ToList(), i.MovedOn, i.DecideBy,
            })
            .ToListAsync(ct);
        return new PagedResult<ChangeOfDutiesRow>(rows.Select(r => new ChangeOfDutiesRow(r.Id, r.StaffMemberId, r.Name, r.StaffId, r.Role,
            r.GrantsIepForms, r.SchoolSystem, r.SchoolLeft, r.Current.Count == 0 ? "No school" : string.Join(", ", r.Current.Order(StringComparer.InvariantCulture)),
            r.MovedOn, r.DecideBy, r.DecideBy.DayNumber - today.DayNumber)).ToList(), total);
    }

    /// <summary>A coordinator of the school keeps the grant or ends it (reason: duties changed).</summary>
    /// <exception cref="ScopeDeniedException">The item does not exist or is outside the schools the caller coordinates.</exception>
    /// <exception cref="ChangeOfDutiesRefusedException">Someone decided it already (the message says who and when), or the grant ended meanwhile.</exception>
    public async Task<ChangeOfDutiesOutcome> DecideAsync(
        Caller caller, int itemId, ChangeOfDutiesDecision decision, string? note = null, CancellationToken ct = default)
    {
        note = GrantEnding.RequireNote(GrantEndReason.DutiesChanged, note);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.BeginWriteAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        var item = await db.ChangeOfDutiesItems.Include(i => i.AccessGrant).Include(i => i.School).SingleOrDefaultAsync(i => i.Id == itemId, ct);
        if (item is null || !scope.CanCoordinateSchool(item.SchoolSystemId, item.SchoolId))
        {
            throw scope.Refuse("That change-of-duties item does not exist or is outside the schools you coordinate.");
        }
        if (item.Decision is { } already)
        {
            var who = item.DecidedById is int by
                ? await db.StaffMembers.Where(s => s.Id == by).Select(s => s.FirstName + " " + s.LastName).SingleAsync(ct)
                : "the system (the default at the deadline)";
            throw new ChangeOfDutiesRefusedException(
                $"Already {Past(already)} by {who} on {item.DecidedAt!.Value.UtcDateTime.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture)}.");
        }
        if (!item.AccessGrant!.IsActive)
        {
            throw new ChangeOfDutiesRefusedException("That grant has already ended; there is nothing left to decide.");
        }
        var now = clock.GetUtcNow();
        var (audit, published) = Apply(item, decision, now, caller.StaffMemberId, byDefault: false,
            note ?? $"Duties changed: moved from {item.School!.Name} on {EmploymentLifecycle.Day(item.MovedOn)}.");
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, caller, now, audit, ct);
        await transaction.CommitAsync(ct);
        foreach (var change in published)
        {
            changes.Publish(change);
        }
        return new ChangeOfDutiesOutcome(itemId, true, decision == ChangeOfDutiesDecision.Keep ? "Kept." : "Ended.");
    }

    /// <summary>Each selected item is decided on its own; the summary says which could not be and why.</summary>
    public async Task<ChangeOfDutiesBulkSummary> DecideManyAsync(
        Caller caller, IReadOnlyCollection<int> itemIds, ChangeOfDutiesDecision decision, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        var outcomes = new List<ChangeOfDutiesOutcome>(itemIds.Count);
        foreach (var id in itemIds)
        {
            try
            {
                outcomes.Add(await DecideAsync(caller, id, decision, null, ct));
            }
            catch (Exception ex) when (ex is ScopeDeniedException or ChangeOfDutiesRefusedException or GrantRefusedException)
            {
                outcomes.Add(new ChangeOfDutiesOutcome(id, false, ex.Message));
            }
            progress?.Report(outcomes.Count);
        }
        return new ChangeOfDutiesBulkSummary(decision, outcomes);
    }

    /// <summary>
    /// Applies the configured default to every item still undecided after its deadline day, audited as the system.
    /// Returns how many items it decided. Cheap when nothing is due: it takes the write lock only then.
    /// </summary>
    public async Task<int> ApplyDueDefaultsAsync(CancellationToken ct = default)
    {
        var today = clock.Today();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.ChangeOfDutiesItems.AnyAsync(i => i.Decision == null && i.DecideBy < today, ct))
        {
            return 0;
        }
        await using var transaction = await db.BeginWriteAsync(ct);
        var due = await db.ChangeOfDutiesItems.Include(i => i.AccessGrant).Include(i => i.School)
            .Where(i => i.Decision == null && i.DecideBy < today).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var decision = options.Value.DefaultAction;
        var audit = new List<AuditEntry>();
        var published = new List<AccessChange>();
        foreach (var item in due)
        {
            var (entries, itemChanges) = Apply(item, item.AccessGrant!.IsActive ? decision : ChangeOfDutiesDecision.End, now, null, byDefault: true,
                $"Not decided by {EmploymentLifecycle.Day(item.DecideBy)}: the default applied (moved from {item.School!.Name} on {EmploymentLifecycle.Day(item.MovedOn)}).");
            audit.AddRange(entries);
            published.AddRange(itemChanges);
        }
        await db.SaveChangesAsync(ct);
        foreach (var entry in audit)
        {
            await AuditLog.AppendAsSystemAsync(db, DefaultActorName, now, entry, ct);
        }
        await transaction.CommitAsync(ct);
        foreach (var change in published)
        {
            changes.Publish(change);
        }
        return due.Count;
    }

    private static (List<AuditEntry> Audit, List<AccessChange> Changes) Apply(
        ChangeOfDutiesItem item, ChangeOfDutiesDecision decision, DateTimeOffset now, int? actorId, bool byDefault, string note)
    {
        var audit = new List<AuditEntry>();
        var published = new List<AccessChange>();
        item.Decision = decision;
        item.DecidedAt = now;
        item.DecidedById = actorId;
        item.DecidedByDefault = byDefault;
        item.Note = note;
        item.ConcurrencyToken = Guid.NewGuid();
        if (decision == ChangeOfDutiesDecision.End && item.AccessGrant!.IsActive)
        {
            var ended = item.AccessGrant.End(now, actorId, GrantEndReason.DutiesChanged, note);
            audit.Add(ended.Audit);
            published.Add(ended.Change);
        }
        audit.Add(new AuditEntry(byDefault ? "ChangeOfDuties.DefaultApplied" : "ChangeOfDuties.Decided", nameof(ChangeOfDutiesItem),
            item.Id.ToString(CultureInfo.InvariantCulture), item.SchoolSystemId, new { decision = (string?)null },
            new { decision = decision.ToString(), grantId = item.AccessGrantId, note }));
        published.Add(new AccessChange(AccessChangeKind.ChangeOfDutiesChanged, item.SchoolSystemId, item.SchoolId, null, actorId, now, item.StaffMemberId));
        return (audit, published);
    }

    private static IQueryable<ChangeOfDutiesItem> Visible(IQueryable<ChangeOfDutiesItem> items, AccessScope scope)
    {
        if (scope.IsStateAdministrator)
        {
            return items;
        }
        var district = scope.DistrictSchoolSystemIds.ToArray();
        var schools = scope.LocalSchoolIds.ToArray();
        return items.Where(i => district.Contains(i.SchoolSystemId) || schools.Contains(i.SchoolId));
    }

    private static string Past(ChangeOfDutiesDecision decision) => decision == ChangeOfDutiesDecision.Keep ? "kept" : "ended";
}

/// <summary>Rules of the change-of-duties list that other writers share.</summary>
internal static class ChangeOfDutiesRules
{
    /// <summary>Closes the undecided items of grants that ended otherwise (a leaver, a coordinator, a review): nothing is left to decide.</summary>
    public static Task<int> CloseForEndedGrantsAsync(
        EserSecurityDbContext db, IReadOnlyCollection<int> grantIds, DateTimeOffset now, int? actorId, CancellationToken ct) =>
        grantIds.Count == 0
            ? Task.FromResult(0)
            : db.ChangeOfDutiesItems.Where(i => i.Decision == null && grantIds.Contains(i.AccessGrantId))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(i => i.Decision, ChangeOfDutiesDecision.End)
                    .SetProperty(i => i.DecidedAt, now)
                    .SetProperty(i => i.DecidedById, actorId)
                    .SetProperty(i => i.Note, "The grant ended otherwise.")
                    .SetProperty(i => i.ConcurrencyToken, Guid.NewGuid()), ct);
}
