using System.Globalization;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Data;
using EserSecurity.Core.Grants;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Retention;

/// <summary>The lines of one batch, read from the live tables before they leave: every column, and whom each record concerns.</summary>
internal sealed class ArchiveContent
{
    private const int IdsPerQuery = 900;

    public List<ArchiveLine> Lines { get; } = [];

    public List<AuditEvent> AuditEvents { get; } = [];

    public SortedDictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);

    private void Add(string kind, object id, IEnumerable<int?> people, int? schoolSystemId, DateTimeOffset at, object record)
    {
        var personIds = people.Where(p => p is not null).Select(p => p!.Value).Distinct().Order().ToArray();
        Lines.Add(new ArchiveLine(kind, Convert.ToString(id, CultureInfo.InvariantCulture)!, personIds, schoolSystemId, at, record));
        Counts[kind] = Counts.GetValueOrDefault(kind) + 1;
    }

    public static async Task<ArchiveContent> ReadAsync(EserSecurityDbContext db, ArchivePlan plan, CancellationToken ct)
    {
        var content = new ArchiveContent();
        var grantHolders = new Dictionary<int, int>();
        var requesters = new Dictionary<int, int>();
        foreach (var ids in plan.RequestIds.Chunk(IdsPerQuery))
        {
            var requests = await db.AccessRequests.AsNoTracking().Where(r => ids.Contains(r.Id)).ToListAsync(ct);
            var steps = (await db.AccessRequestSteps.AsNoTracking().Where(s => ids.Contains(s.AccessRequestId)).ToListAsync(ct))
                .ToLookup(s => s.AccessRequestId);
            foreach (var r in requests.OrderBy(r => r.Id))
            {
                requesters[r.Id] = r.RequesterId;
                var own = steps[r.Id].OrderBy(s => s.Id).ToList();
                content.Add(ArchiveKinds.AccessRequest, r.Id, [r.RequesterId, .. own.Select(s => s.ActorId), .. own.Select(s => s.OnBehalfOfId)],
                    r.SchoolSystemId, r.ClosedAt!.Value, r);
                foreach (var s in own)
                {
                    content.Add(ArchiveKinds.AccessRequestStep, s.Id, [r.RequesterId, s.ActorId, s.OnBehalfOfId], r.SchoolSystemId, s.At, s);
                }
            }
        }
        foreach (var ids in plan.GrantIds.Chunk(IdsPerQuery))
        {
            var grants = await db.AccessGrants.AsNoTracking().Where(g => ids.Contains(g.Id)).OrderBy(g => g.Id).ToListAsync(ct);
            var changes = (await db.AccessDecisionChanges.AsNoTracking().Where(x => x.AccessGrantId != null && ids.Contains(x.AccessGrantId.Value)).ToListAsync(ct))
                .ToLookup(x => x.AccessGrantId!.Value);
            var duties = (await db.ChangeOfDutiesItems.AsNoTracking().Where(x => ids.Contains(x.AccessGrantId)).ToListAsync(ct)).ToLookup(x => x.AccessGrantId);
            var reviewItems = (await db.AccessReviewItems.AsNoTracking().Where(x => ids.Contains(x.AccessGrantId)).ToListAsync(ct)).ToLookup(x => x.AccessGrantId);
            foreach (var g in grants)
            {
                grantHolders[g.Id] = g.StaffMemberId;
                content.Add(ArchiveKinds.AccessGrant, g.Id, [g.StaffMemberId, g.GrantedById, g.EndedById], g.SchoolSystemId, g.EndedAt!.Value, g);
                foreach (var x in changes[g.Id].OrderBy(x => x.Id))
                {
                    content.Add(ArchiveKinds.AccessDecisionChange, x.Id, [x.StaffMemberId], g.SchoolSystemId, x.At, x);
                }
                foreach (var x in duties[g.Id].OrderBy(x => x.Id))
                {
                    content.Add(ArchiveKinds.ChangeOfDutiesItem, x.Id, [x.StaffMemberId, x.DecidedById], x.SchoolSystemId, x.DecidedAt ?? g.EndedAt.Value, x);
                }
                foreach (var x in reviewItems[g.Id].OrderBy(x => x.Id))
                {
                    content.Add(ArchiveKinds.AccessReviewItem, x.Id, [g.StaffMemberId, x.DecidedById, x.SupervisorDecidedById], g.SchoolSystemId,
                        x.SupervisorDecidedAt ?? x.DecidedAt ?? x.DefaultedAt ?? g.EndedAt.Value, x);
                }
            }
        }
        foreach (var ids in plan.AssignmentIds.Chunk(IdsPerQuery))
        {
            foreach (var a in await db.CoordinatorAssignments.AsNoTracking().Where(a => ids.Contains(a.Id)).OrderBy(a => a.Id).ToListAsync(ct))
            {
                var ended = a.EndedAt ?? new DateTimeOffset(a.EndsOn!.Value.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                content.Add(ArchiveKinds.CoordinatorAssignment, a.Id, [a.StaffMemberId, a.EndedById], a.SchoolSystemId, ended, a);
            }
        }
        foreach (var ids in plan.SignatureIds.Chunk(IdsPerQuery))
        {
            foreach (var s in await db.AssuranceSignatures.AsNoTracking().Where(s => ids.Contains(s.Id)).OrderBy(s => s.Id).ToListAsync(ct))
            {
                var yearEnd = new Assurance.SchoolYear(s.SchoolYear).EndsOn.AddDays(1).ToDateTime(TimeOnly.MinValue);
                content.Add(ArchiveKinds.AssuranceSignature, s.Id, [s.StaffMemberId], null, new DateTimeOffset(yearEnd, TimeSpan.Zero), s);
            }
        }
        foreach (var ids in plan.NotificationIds.Chunk(IdsPerQuery))
        {
            foreach (var n in await db.Notifications.AsNoTracking().Where(n => ids.Contains(n.Id)).OrderBy(n => n.Id).ToListAsync(ct))
            {
                content.Add(ArchiveKinds.Notification, n.Id, [n.RecipientId], null, n.CreatedAt, n);
            }
        }
        if (plan.AuditFirst is { } first && plan.AuditLast is { } last)
        {
            content.AuditEvents.AddRange(await db.AuditEvents.AsNoTracking().Where(e => e.Sequence >= first && e.Sequence <= last)
                .OrderBy(e => e.Sequence).ToListAsync(ct));
            var subjects = await SubjectsAsync(db, content.AuditEvents, grantHolders, requesters, ct);
            foreach (var e in content.AuditEvents)
            {
                content.Add(ArchiveKinds.AuditEvent, e.Sequence, [e.ActorId, subjects.GetValueOrDefault((e.EntityType, e.EntityId))],
                    e.SchoolSystemId, e.At, e);
            }
        }
        return content;
    }

    /// <summary>
    /// The person each audit event is about, where its record names one: a staff record itself, or the holder of a grant,
    /// request, coordinator assignment, signature or change-of-duties item (read while those rows are still live).
    /// </summary>
    private static async Task<Dictionary<(string, string), int?>> SubjectsAsync(
        EserSecurityDbContext db, List<AuditEvent> events, Dictionary<int, int> grantHolders, Dictionary<int, int> requesters, CancellationToken ct)
    {
        var subjects = new Dictionary<(string, string), int?>();
        List<int> IdsOf(string entityType) => events.Where(e => e.EntityType == entityType)
            .Select(e => int.TryParse(e.EntityId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0)
            .Where(id => id > 0).Distinct().ToList();
        void Put(string entityType, int id, int staffMemberId) => subjects[(entityType, id.ToString(CultureInfo.InvariantCulture))] = staffMemberId;

        foreach (var id in IdsOf(nameof(Staff.StaffMember)))
        {
            Put(nameof(Staff.StaffMember), id, id);
        }
        async Task LookUpAsync(string entityType, Dictionary<int, int> known, Func<int[], Task<Dictionary<int, int>>> query)
        {
            var missing = IdsOf(entityType).Where(id => !known.ContainsKey(id)).ToList();
            foreach (var chunk in missing.Chunk(IdsPerQuery))
            {
                foreach (var (id, person) in await query(chunk))
                {
                    known[id] = person;
                }
            }
            foreach (var (id, person) in known)
            {
                Put(entityType, id, person);
            }
        }
        await LookUpAsync(nameof(AccessGrant), grantHolders, async ids =>
            await db.AccessGrants.AsNoTracking().Where(g => ids.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.StaffMemberId, ct));
        await LookUpAsync(nameof(AccessRequests.AccessRequest), requesters, async ids =>
            await db.AccessRequests.AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.RequesterId, ct));
        await LookUpAsync(nameof(Coordinators.CoordinatorAssignment), [], async ids =>
            await db.CoordinatorAssignments.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.StaffMemberId, ct));
        await LookUpAsync(nameof(Assurance.AssuranceSignature), [], async ids =>
            await db.AssuranceSignatures.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.StaffMemberId, ct));
        await LookUpAsync(nameof(Employment.ChangeOfDutiesItem), [], async ids =>
            await db.ChangeOfDutiesItems.AsNoTracking().Where(x => ids.Contains(x.Id)).ToDictionaryAsync(x => x.Id, x => x.StaffMemberId, ct));
        return subjects;
    }
}
