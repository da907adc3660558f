using System.Globalization;
using EserSecurity.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Audit;

/// <summary>
/// Optimistic concurrency for records that people edit in a form (roles, key dates, statement drafts, school system
/// policies). A record's version is the sequence number of its last audited change, 0 before any: every change of
/// these records is audited in its own transaction, so the audit log already holds, for each record, the token a
/// concurrency column would, and who made the change and when. Reads give each record its version (the largest
/// <see cref="AuditEvent.Sequence"/> of its events, through the index on entity type and id); an editor's save carries
/// the version it read and is refused when the record changed since, naming that change.
/// </summary>
internal static class EditVersions
{
    /// <summary>The version of one record now: inside a write transaction, the version a save just made.</summary>
    public static async Task<long> OfAsync(
        EserSecurityDbContext db, string entityType, int id, IReadOnlyCollection<string>? actions, CancellationToken ct) =>
        await Events(db, entityType, id, actions).MaxAsync(e => (long?)e.Sequence, ct) ?? 0;

    /// <summary>
    /// Refuses, through <paramref name="refuse"/>, a save made from <paramref name="readVersion"/> when the record has
    /// changed since. Call inside the save's write transaction, so no other change can come between the check and the save.
    /// </summary>
    public static async Task DemandUnchangedAsync(
        EserSecurityDbContext db, string entityType, int id, long readVersion, string what, IReadOnlyCollection<string>? actions,
        Func<string, Exception> refuse, CancellationToken ct)
    {
        var last = await Events(db, entityType, id, actions).OrderByDescending(e => e.Sequence).Select(e => new { e.Sequence, e.ActorName, e.At }).FirstOrDefaultAsync(ct);
        if ((last?.Sequence ?? 0) != readVersion)
        {
            throw refuse(last is null
                ? $"{what} changed after you opened it. Reload to see it as it is now, then make your change again."
                : $"{last.ActorName} changed {what} on {last.At.UtcDateTime.ToString("MMMM d, yyyy 'at' h:mm tt 'UTC'", CultureInfo.InvariantCulture)}, "
                  + "after you opened it. Reload to see their change, then make yours again.");
        }
    }

    private static IQueryable<AuditEvent> Events(EserSecurityDbContext db, string entityType, int id, IReadOnlyCollection<string>? actions)
    {
        var key = id.ToString(CultureInfo.InvariantCulture);
        var events = db.AuditEvents.AsNoTracking().Where(e => e.EntityType == entityType && e.EntityId == key);
        return actions is null ? events : events.Where(e => actions.Contains(e.Action));
    }
}
