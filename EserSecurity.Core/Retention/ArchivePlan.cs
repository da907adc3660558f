using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Data;
using EserSecurity.Core.Notifications;
using EserSecurity.Core.Reviews;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Retention;

/// <summary>
/// The records one batch moves, chosen so that no record leaves while a live row still refers to it: a decided request
/// leaves with every grant made from it, a grant with every request that renews it, and with it the rows that hang on
/// it (its decision changes, its decided change-of-duties items, its items in reviews completed before the cutoff).
/// A grant with any such row still open or not yet due stays, and with it the requests linked to it.
/// </summary>
internal sealed class ArchivePlan
{
    public List<int> RequestIds { get; } = [];

    public List<int> GrantIds { get; } = [];

    public List<int> AssignmentIds { get; } = [];

    public List<int> SignatureIds { get; } = [];

    public List<long> NotificationIds { get; } = [];

    public long? AuditFirst { get; set; }

    public long? AuditLast { get; set; }

    /// <summary>Requests, grants, assignments, signatures and notices: what the batch size counts besides audit events.</summary>
    public int PrimaryCount => RequestIds.Count + GrantIds.Count + AssignmentIds.Count + SignatureIds.Count + NotificationIds.Count;

    public bool IsEmpty => PrimaryCount == 0 && AuditFirst is null;

    internal static readonly AccessRequestStatus[] ClosedStatuses =
        [AccessRequestStatus.Approved, AccessRequestStatus.Denied, AccessRequestStatus.Withdrawn, AccessRequestStatus.Cancelled];

    internal static readonly MailState[] MailSettled = [MailState.None, MailState.Sent];

    public static async Task<ArchivePlan> MakeAsync(EserSecurityDbContext db, ArchiveCutoff cutoff, long archivedThrough, int batchSize, CancellationToken ct)
    {
        var c = cutoff.At;
        var plan = new ArchivePlan();
        var dueRequests = (await db.AccessRequests.AsNoTracking()
            .Where(r => r.ClosedAt != null && r.ClosedAt < c && ClosedStatuses.Contains(r.Status))
            .Select(r => r.Id).ToListAsync(ct)).ToHashSet();
        var dueGrants = (await db.AccessGrants.AsNoTracking()
            .Where(g => g.EndedAt != null && g.EndedAt < c
                && !db.AccessDecisionChanges.Any(x => x.AccessGrantId == g.Id && x.At >= c)
                && !db.ChangeOfDutiesItems.Any(x => x.AccessGrantId == g.Id && (x.DecidedAt == null || x.DecidedAt >= c))
                && !db.AccessReviewItems.Any(i => i.AccessGrantId == g.Id
                    && !db.AccessReviews.Any(r => r.Id == i.AccessReviewId && r.Status == AccessReviewStatus.Completed && r.CompletedAt < c)))
            .Select(g => g.Id).ToListAsync(ct)).ToHashSet();

        var madeFrom = await db.AccessGrants.AsNoTracking().Where(g => g.AccessRequestId != null)
            .Select(g => new { GrantId = g.Id, RequestId = g.AccessRequestId!.Value }).ToListAsync(ct);
        var renewing = await db.AccessRequests.AsNoTracking().Where(r => r.RenewsGrantId != null)
            .Select(r => new { RequestId = r.Id, GrantId = r.RenewsGrantId!.Value }).ToListAsync(ct);
        var grantsOfRequest = madeFrom.ToLookup(x => x.RequestId, x => x.GrantId);
        var renewalsOfGrant = renewing.ToLookup(x => x.GrantId, x => x.RequestId);

        // A request stays while a grant made from it stays; a grant stays while a request renewing it stays.
        bool changed;
        do
        {
            changed = dueRequests.RemoveWhere(r => grantsOfRequest[r].Any(g => !dueGrants.Contains(g))) > 0;
            changed |= dueGrants.RemoveWhere(g => renewalsOfGrant[g].Any(r => !dueRequests.Contains(r))) > 0;
        }
        while (changed);

        // Linked requests and grants form one unit, which a batch never splits.
        var units = new Units();
        foreach (var link in madeFrom.Where(l => dueGrants.Contains(l.GrantId) && dueRequests.Contains(l.RequestId)))
        {
            units.Join(Units.Request(link.RequestId), Units.Grant(link.GrantId));
        }
        foreach (var link in renewing.Where(l => dueGrants.Contains(l.GrantId) && dueRequests.Contains(l.RequestId)))
        {
            units.Join(Units.Request(link.RequestId), Units.Grant(link.GrantId));
        }
        var members = dueRequests.Select(Units.Request).Concat(dueGrants.Select(Units.Grant))
            .GroupBy(units.Find).OrderBy(g => g.Min());
        foreach (var unit in members)
        {
            if (plan.PrimaryCount > 0 && plan.PrimaryCount + unit.Count() > batchSize)
            {
                break;
            }
            foreach (var member in unit)
            {
                (Units.IsGrant(member) ? plan.GrantIds : plan.RequestIds).Add(Units.IdOf(member));
            }
        }

        var cutoffDay = cutoff.LastDueYear.EndsOn;
        plan.AssignmentIds.AddRange(await db.CoordinatorAssignments.AsNoTracking()
            .Where(a => (a.EndedAt != null && a.EndedAt < c) || (a.EndedAt == null && a.EndsOn != null && a.EndsOn <= cutoffDay))
            .OrderBy(a => a.Id).Select(a => a.Id).Take(Math.Max(0, batchSize - plan.PrimaryCount)).ToListAsync(ct));
        var lastDueYear = cutoff.LastDueYear.StartYear;
        plan.SignatureIds.AddRange(await db.AssuranceSignatures.AsNoTracking().Where(s => s.SchoolYear <= lastDueYear)
            .OrderBy(s => s.Id).Select(s => s.Id).Take(Math.Max(0, batchSize - plan.PrimaryCount)).ToListAsync(ct));
        plan.NotificationIds.AddRange(await db.Notifications.AsNoTracking().Where(n => n.CreatedAt < c && MailSettled.Contains(n.Mail))
            .OrderBy(n => n.Id).Select(n => n.Id).Take(Math.Max(0, batchSize - plan.PrimaryCount)).ToListAsync(ct));

        // The audit chain moves as a prefix: up to the event before the first one not yet due.
        var head = await db.AuditChainHeads.AsNoTracking().Select(h => h.LastSequence).SingleAsync(ct);
        var limit = archivedThrough + batchSize;
        var firstNotDue = await db.AuditEvents.AsNoTracking().Where(e => e.Sequence > archivedThrough && e.Sequence <= limit && e.At >= c)
            .OrderBy(e => e.Sequence).Select(e => (long?)e.Sequence).FirstOrDefaultAsync(ct);
        var last = Math.Min((firstNotDue ?? head + 1) - 1, limit);
        if (last > archivedThrough)
        {
            plan.AuditFirst = archivedThrough + 1;
            plan.AuditLast = last;
        }
        return plan;
    }

    /// <summary>Disjoint sets over requests (even keys) and grants (odd keys).</summary>
    private sealed class Units
    {
        private readonly Dictionary<long, long> _parent = [];

        public static long Request(int id) => (long)id * 2;

        public static long Grant(int id) => (long)id * 2 + 1;

        public static bool IsGrant(long key) => key % 2 == 1;

        public static int IdOf(long key) => (int)(key / 2);

        public long Find(long key)
        {
            while (_parent.TryGetValue(key, out var parent) && parent != key)
            {
                var grand = _parent.GetValueOrDefault(parent, parent);
                _parent[key] = grand;
                key = grand;
            }
            return key;
        }

        public void Join(long a, long b)
        {
            var (rootA, rootB) = (Find(a), Find(b));
            if (rootA != rootB)
            {
                _parent[Math.Max(rootA, rootB)] = Math.Min(rootA, rootB);
            }
        }
    }
}
