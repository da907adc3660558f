using System.Globalization;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Data;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Readiness;

/// <summary>
/// Which school systems' readiness figures the audited changes between two audit sequences can have moved, read from
/// the audit events themselves (so a change another console instance committed is read as surely as this one's). The
/// figures of a school system depend on its TAS rows, the employment of the people they list, its grants and requests,
/// and those people's signatures; so a grant or request moves its own school system, a signature or an employment
/// change moves every school system that lists the person in TAS or where they hold a grant, a few kinds of change
/// move nothing counted, and anything else (a TAS or staff import, a change without a school system, an action this
/// class does not know, an event no longer in the live table) moves every school system.
/// </summary>
internal static class ReadinessChangeScope
{
    /// <summary>Past this many changes since the earlier count, one full count costs less than reading them all.</summary>
    internal const int MostChangesRead = 200;

    /// <summary>Actions that write nothing a readiness figure counts: security events, notices, key dates, API clients, sign-on links.</summary>
    private static readonly string[] MovesNothing = ["Security.", "Notification.", "KeyDate.", "ApiClient.", "LinkRequest.", "SignOn."];

    /// <summary>The school systems whose figures the changes after <paramref name="after"/> up to <paramref name="upTo"/> can have moved; null: any.</summary>
    public static async Task<IReadOnlySet<int>?> SchoolSystemsMovedAsync(EserSecurityDbContext db, long after, long upTo, CancellationToken ct = default)
    {
        if (upTo - after > MostChangesRead || upTo < after)
        {
            return null;
        }
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.Sequence > after && e.Sequence <= upTo)
            .Select(e => new { e.Action, e.EntityType, e.EntityId, e.SchoolSystemId }).ToListAsync(ct);
        if (events.Count != upTo - after)
        {
            return null;
        }

        var moved = new HashSet<int>();
        var people = new HashSet<int>();
        var signatures = new HashSet<int>();
        foreach (var e in events)
        {
            if (MovesNothing.Any(prefix => e.Action.StartsWith(prefix, StringComparison.Ordinal)))
            {
                continue;
            }
            if (e.Action.StartsWith("AccessRequest.", StringComparison.Ordinal) || e.Action.StartsWith("AccessGrant.", StringComparison.Ordinal))
            {
                if (e.SchoolSystemId is not int schoolSystemId)
                {
                    return null;
                }
                moved.Add(schoolSystemId);
            }
            else if (e.Action == "Assurance.Signed" && e.EntityType == nameof(AssuranceSignature) && IdOf(e.EntityId) is int signatureId)
            {
                signatures.Add(signatureId);
            }
            else if (e.Action.StartsWith("StaffMember.", StringComparison.Ordinal) && e.EntityType == nameof(StaffMember) && IdOf(e.EntityId) is int personId)
            {
                people.Add(personId);
            }
            else
            {
                return null;
            }
        }

        if (signatures.Count > 0)
        {
            var signers = await db.AssuranceSignatures.AsNoTracking().Where(s => signatures.Contains(s.Id)).Select(s => s.StaffMemberId).ToListAsync(ct);
            if (signers.Count != signatures.Count)
            {
                return null;
            }
            people.UnionWith(signers);
        }
        if (people.Count > 0)
        {
            moved.UnionWith(await db.LegacySerAccess.AsNoTracking().Where(l => people.Contains(l.StaffMemberId)).Select(l => l.SchoolSystemId)
                .Union(db.AccessGrants.AsNoTracking().Where(g => people.Contains(g.StaffMemberId)).Select(g => g.SchoolSystemId))
                .ToListAsync(ct));
        }
        return moved;
    }

    private static int? IdOf(string entityId) => int.TryParse(entityId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}
