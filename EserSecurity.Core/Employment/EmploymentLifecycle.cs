using System.Globalization;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Data;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Notifications;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Employment;

/// <summary>What happened to a person's employment, as the staff directory or a coordinator recorded it.</summary>
public enum EmploymentEventKind
{
    /// <summary>Employment ended.</summary>
    Ended,

    /// <summary>The person moved to another school system.</summary>
    MovedSchoolSystem,

    /// <summary>The person moved between schools of one school system and left at least one school.</summary>
    MovedSchools,
}

/// <summary>One person's employment change, with the school system they were in and the schools they left.</summary>
internal sealed record EmploymentEvent(
    int StaffMemberId, EmploymentEventKind Kind, int? FromSchoolSystemId, IReadOnlyCollection<int> LeftSchoolIds, DateOnly EffectiveOn);

/// <summary>What the lifecycle rules changed: audit entries to append in the same transaction, and changes to publish after it.</summary>
internal sealed record LifecycleOutcome(
    IReadOnlyList<AuditEntry> Audit,
    IReadOnlyList<AccessChange> Changes,
    int GrantsEnded,
    int RequestsCancelled,
    int AssignmentsEnded,
    int ChangeOfDutiesListed,
    IReadOnlyList<int> SchoolSystemsLeftWithoutDistrictCoordinator)
{
    public static readonly LifecycleOutcome None = new([], [], 0, 0, 0, 0, []);
}

/// <summary>
/// The leaver and mover rules, applied inside the caller's write transaction (the staff directory import's commit, or a
/// manual end of employment) so that they commit or roll back with the change that caused them:
/// <list type="bullet">
/// <item>Ended: every active grant ends (reason: employment ended), every pending request is cancelled, every coordinator
/// and supervisor assignment ends.</item>
/// <item>Moved to another school system: the grants, pending requests and assignments of the old school system end.</item>
/// <item>Moved between schools of one school system: school-level grants at the schools left go on the change-of-duties
/// list for that school system's coordinators; pending requests for the schools left are cancelled.</item>
/// </list>
/// A return (Ended to Active) is no event: it restores nothing. A school system whose last district coordinator left is
/// reported, not refused: the person has left.
/// </summary>
internal static class EmploymentLifecycle
{
    public static async Task<LifecycleOutcome> ApplyAsync(
        EserSecurityDbContext db, IReadOnlyCollection<EmploymentEvent> events, int? actorId, DateTimeOffset now, DateOnly today,
        int decideWithinDays, CancellationToken ct)
    {
        if (events.Count == 0)
        {
            return LifecycleOutcome.None;
        }
        var byPerson = events.GroupBy(e => e.StaffMemberId).ToDictionary(g => g.Key, g => g.Last());
        var ids = byPerson.Keys.ToArray();
        var audit = new List<AuditEntry>();
        var changes = new List<AccessChange>();

        // The grants, requests and assignments a person loses: all of them when they left, those of the old school
        // system when they moved to another.
        bool Loses(int staffMemberId, int schoolSystemId) => byPerson[staffMemberId] switch
        {
            { Kind: EmploymentEventKind.Ended } => true,
            { Kind: EmploymentEventKind.MovedSchoolSystem, FromSchoolSystemId: int from } => from == schoolSystemId,
            _ => false,
        };
        string Why(int staffMemberId) => byPerson[staffMemberId] switch
        {
            { Kind: EmploymentEventKind.Ended } e => $"Left: employment ended on {Day(e.EffectiveOn)}.",
            var e => $"Left: moved to another school system on {Day(e.EffectiveOn)}.",
        };

        var grants = await db.AccessGrants.Where(g => ids.Contains(g.StaffMemberId) && g.EndedAt == null).ToListAsync(ct);
        var grantsEnded = new List<int>();
        var toList = new List<AccessGrant>();
        foreach (var grant in grants)
        {
            if (Loses(grant.StaffMemberId, grant.SchoolSystemId))
            {
                var ended = grant.End(now, actorId, GrantEndReason.EmploymentEnded, Why(grant.StaffMemberId));
                audit.Add(ended.Audit);
                changes.Add(ended.Change);
                grantsEnded.Add(grant.Id);
            }
            else if (byPerson[grant.StaffMemberId] is { Kind: EmploymentEventKind.MovedSchools } moved
                && grant.SchoolId is int school && moved.LeftSchoolIds.Contains(school) && grant.SchoolSystemId == moved.FromSchoolSystemId)
            {
                toList.Add(grant);
            }
        }

        var listed = await ListChangesOfDutiesAsync(db, toList, byPerson, now, today, decideWithinDays, audit, changes, ct);

        var requests = await db.AccessRequests
            .Where(r => ids.Contains(r.RequesterId)
                && (r.Status == AccessRequestStatus.PendingCoordinator || r.Status == AccessRequestStatus.PendingSupervisor))
            .ToListAsync(ct);
        var cancelled = 0;
        // A request for a school the person left asks for duties they no longer have there: it is cancelled too.
        bool LeftTheSchool(AccessRequest r) => byPerson[r.RequesterId] is { Kind: EmploymentEventKind.MovedSchools } moved
            && r.SchoolId is int school && moved.LeftSchoolIds.Contains(school) && r.SchoolSystemId == moved.FromSchoolSystemId;
        foreach (var request in requests.Where(r => Loses(r.RequesterId, r.SchoolSystemId) || LeftTheSchool(r)))
        {
            var reason = LeftTheSchool(request)
                ? $"Left that school: moved to other schools of the school system on {Day(byPerson[request.RequesterId].EffectiveOn)}."
                : Why(request.RequesterId);
            db.AccessRequestSteps.Add(new AccessRequestStep
            {
                AccessRequestId = request.Id, Action = AccessRequestAction.Cancelled, FromStatus = request.Status,
                ToStatus = AccessRequestStatus.Cancelled, ActorId = actorId, At = now, Reason = reason,
            });
            audit.Add(new AuditEntry("AccessRequest.Cancelled", nameof(AccessRequest), Id(request.Id), request.SchoolSystemId,
                new { status = request.Status.ToString() }, new { status = nameof(AccessRequestStatus.Cancelled), reason }));
            request.Status = AccessRequestStatus.Cancelled;
            request.ClosedAt = now;
            request.ConcurrencyToken = Guid.NewGuid();
            changes.Add(new AccessChange(AccessChangeKind.RequestCancelled, request.SchoolSystemId, request.SchoolId, request.Id, actorId, now,
                request.RequesterId));
            cancelled++;
        }

        var coordinators = await db.CoordinatorAssignments.ActiveOn(today).Where(a => ids.Contains(a.StaffMemberId)).ToListAsync(ct);
        var supervisors = await db.SupervisorAssignments.ActiveOn(today).Where(a => ids.Contains(a.StaffMemberId)).ToListAsync(ct);
        var assignmentsEnded = 0;
        var districtsTouched = new HashSet<int>();
        void EndAssignment(IEndableAssignment assignment, string action, int? schoolId)
        {
            if (!Loses(assignment.StaffMemberId, assignment.SchoolSystemId))
            {
                return;
            }
            var ended = assignment.End(now, today, actorId, Why(assignment.StaffMemberId));
            audit.Add(ended.Audit(action, assignment));
            changes.Add(new AccessChange(AccessChangeKind.AssignmentChanged, assignment.SchoolSystemId, schoolId, null, actorId, now,
                assignment.StaffMemberId));
            assignmentsEnded++;
        }
        foreach (var assignment in coordinators)
        {
            EndAssignment(assignment, "Coordinator.Ended", assignment.SchoolId);
            if (assignment.Coverage == CoordinatorCoverage.SchoolSystem && assignment.EndsOn == today)
            {
                districtsTouched.Add(assignment.SchoolSystemId);
            }
        }
        foreach (var assignment in supervisors)
        {
            EndAssignment(assignment, "Supervisor.Ended", null);
        }
        await db.SaveChangesAsync(ct);
        await ChangeOfDutiesRules.CloseForEndedGrantsAsync(db, grantsEnded, now, actorId, ct);

        var gaps = new List<int>();
        foreach (var schoolSystemId in districtsTouched)
        {
            if (!await db.CoordinatorAssignments.ActiveOn(today)
                .AnyAsync(a => a.SchoolSystemId == schoolSystemId && a.Coverage == CoordinatorCoverage.SchoolSystem, ct))
            {
                gaps.Add(schoolSystemId);
                audit.Add(new AuditEntry("SchoolSystem.DistrictCoordinatorGap", "SchoolSystem", Id(schoolSystemId), schoolSystemId, null,
                    new { flagged = "No district security coordinator: the last one left. A state administrator assigns one." }));
            }
        }

        foreach (var e in byPerson.Values)
        {
            changes.Add(new AccessChange(AccessChangeKind.EmploymentChanged, e.FromSchoolSystemId, null, null, actorId, now, e.StaffMemberId));
        }
        return new LifecycleOutcome(audit, changes, grantsEnded.Count, cancelled, assignmentsEnded, listed, gaps);
    }

    private static async Task<int> ListChangesOfDutiesAsync(
        EserSecurityDbContext db, List<AccessGrant> grants, Dictionary<int, EmploymentEvent> byPerson, DateTimeOffset now, DateOnly today,
        int decideWithinDays, List<AuditEntry> audit, List<AccessChange> changes, CancellationToken ct)
    {
        if (grants.Count == 0)
        {
            return 0;
        }
        var grantIds = grants.Select(g => g.Id).ToArray();
        var alreadyListed = (await db.ChangeOfDutiesItems.Where(i => grantIds.Contains(i.AccessGrantId) && i.Decision == null)
            .Select(i => i.AccessGrantId).ToListAsync(ct)).ToHashSet();
        var items = grants.Where(g => !alreadyListed.Contains(g.Id)).Select(g => new ChangeOfDutiesItem
        {
            AccessGrantId = g.Id, StaffMemberId = g.StaffMemberId, SchoolSystemId = g.SchoolSystemId, SchoolId = g.SchoolId!.Value,
            MovedOn = byPerson[g.StaffMemberId].EffectiveOn, ListedAt = now, DecideBy = today.AddDays(decideWithinDays),
        }).ToList();
        db.ChangeOfDutiesItems.AddRange(items);
        await db.SaveChangesAsync(ct);
        foreach (var item in items)
        {
            audit.Add(new AuditEntry("ChangeOfDuties.Listed", nameof(ChangeOfDutiesItem), Id(item.Id), item.SchoolSystemId, null,
                new { grantId = item.AccessGrantId, staffMemberId = item.StaffMemberId, schoolId = item.SchoolId, movedOn = item.MovedOn, decideBy = item.DecideBy }));
        }
        foreach (var group in items.GroupBy(i => (i.SchoolSystemId, i.StaffMemberId)))
        {
            changes.Add(new AccessChange(AccessChangeKind.ChangeOfDutiesChanged, group.Key.SchoolSystemId, null, null, null, now, group.Key.StaffMemberId));
        }
        await NotifyChangeOfDutiesAsync(db, items, now, today, changes, ct);
        return items.Count;
    }

    /// <summary>
    /// Tells those who decide the new items (the district coordinators, and the local coordinators of each school left)
    /// how many wait for them: one notice each, however many people moved in this change.
    /// </summary>
    private static async Task NotifyChangeOfDutiesAsync(
        EserSecurityDbContext db, List<ChangeOfDutiesItem> items, DateTimeOffset now, DateOnly today, List<AccessChange> changes, CancellationToken ct)
    {
        var waiting = new Dictionary<int, int>();
        foreach (var group in items.GroupBy(i => i.SchoolSystemId))
        {
            var people = await RequestRouting.LoadRecipientsAsync(db, group.Key, today, ct);
            foreach (var recipient in group.SelectMany(item => people.WhoSees(item.SchoolId)).Select(r => r.StaffMemberId))
            {
                waiting[recipient] = waiting.GetValueOrDefault(recipient) + 1;
            }
        }
        var decideBy = Day(items.Min(i => i.DecideBy));
        foreach (var group in waiting.GroupBy(w => w.Value, w => w.Key))
        {
            var title = group.Key == 1
                ? $"A role at a school its holder left waits for your decision by {decideBy}"
                : $"{group.Key} roles at schools their holders left wait for your decision by {decideBy}";
            foreach (var id in await NotificationOutbox.AddAsync(db, group, new Notice(NotificationKind.ChangeOfDutiesWaiting, title, "change-of-duties"), null, now, ct))
            {
                changes.Add(new AccessChange(AccessChangeKind.NotificationsChanged, null, null, null, null, now, id));
            }
        }
    }

    internal static string Day(DateOnly day) => day.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture);

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
