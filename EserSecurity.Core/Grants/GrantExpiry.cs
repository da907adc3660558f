using System.Globalization;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Employment;
using EserSecurity.Core.Notifications;
using EserSecurity.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Grants;

/// <summary>
/// Grants approved for a limited time: <see cref="WarnDaysBefore"/> days before a grant's last day its holder and the
/// coordinators who cover it are told (the holder can renew it with one click), and on the day after its last day the
/// grant ends with <see cref="GrantEndReason.Expired"/>, audited and published like any other end. Both steps are
/// recorded on the grant inside a write transaction, so a run repeated, or run by two console instances, does each once.
/// </summary>
public sealed class GrantExpiry(IDbContextFactory<EserSecurityDbContext> dbFactory, IAccessChangeFeed changes, TimeProvider clock)
{
    /// <summary>How many days before its last day a grant's holder and coordinators are warned.</summary>
    public const int WarnDaysBefore = 14;

    /// <summary>How many grants one transaction ends or warns about.</summary>
    public const int BatchSize = 200;

    /// <summary>Ends the grants whose last day has passed, then warns of those ending soon; returns how many of each.</summary>
    public async Task<(int Ended, int Warned)> RunAsync(CancellationToken ct = default)
    {
        var ended = 0;
        while (await EndBatchAsync(ct) is > 0 and var count)
        {
            ended += count;
        }
        var warned = 0;
        while (await WarnBatchAsync(ct) is > 0 and var count)
        {
            warned += count;
        }
        return (ended, warned);
    }

    private async Task<int> EndBatchAsync(CancellationToken ct)
    {
        var today = clock.Today();
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.BeginWriteAsync(ct);
        var grants = await db.AccessGrants.Where(g => g.EndedAt == null && g.EndsOn != null && g.EndsOn < today)
            .OrderBy(g => g.Id).Take(BatchSize).ToListAsync(ct);
        if (grants.Count == 0)
        {
            return 0;
        }
        var ended = grants.Select(g => g.End(now, null, GrantEndReason.Expired, $"Its last day was {GrantTerm.Day(g.EndsOn!.Value)}.")).ToList();
        await db.SaveChangesAsync(ct);
        await ChangeOfDutiesRules.CloseForEndedGrantsAsync(db, grants.Select(g => g.Id).ToList(), now, null, ct);
        await AuditLog.AppendAsync(db, (Caller?)null, now, ended.Select(e => e.Audit).ToList(), ct);
        await transaction.CommitAsync(ct);
        foreach (var end in ended)
        {
            changes.Publish(end.Change);
        }
        return grants.Count;
    }

    private async Task<int> WarnBatchAsync(CancellationToken ct)
    {
        var today = clock.Today();
        var now = clock.GetUtcNow();
        var warnFrom = today.AddDays(WarnDaysBefore);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.BeginWriteAsync(ct);
        var grants = await db.AccessGrants
            .Where(g => g.EndedAt == null && g.EndsOn != null && g.EndsOn >= today && g.EndsOn <= warnFrom
                && (g.ExpiryWarnedFor == null || g.ExpiryWarnedFor != g.EndsOn))
            .OrderBy(g => g.SchoolSystemId).ThenBy(g => g.Id).Take(BatchSize)
            .Select(g => new
            {
                g.Id, g.StaffMemberId, g.SchoolSystemId, g.SchoolId, EndsOn = g.EndsOn!.Value, Role = g.EserRole!.Name,
                Scope = g.School != null ? g.School.Name : g.SchoolSystem!.Name, SchoolSystem = g.SchoolSystem!.Name,
                Person = g.StaffMember!.FirstName + " " + g.StaffMember.LastName, g.StaffMember.StaffId,
            })
            .ToListAsync(ct);
        if (grants.Count == 0)
        {
            return 0;
        }
        var ids = grants.Select(g => g.Id).ToList();
        await db.AccessGrants.Where(g => ids.Contains(g.Id)).ExecuteUpdateAsync(s => s.SetProperty(g => g.ExpiryWarnedFor, g => g.EndsOn), ct);
        var notified = new List<int>();
        foreach (var grant in grants)
        {
            var title = $"Your {grant.Role} at {grant.Scope} ends on {GrantTerm.Day(grant.EndsOn)}: renew it if your duties still need it";
            notified.AddRange(await NotificationOutbox.AddAsync(db, [grant.StaffMemberId],
                new Notice(NotificationKind.GrantExpiring, title, PersonLink(grant.StaffId), $"grant-ends:{grant.Id}:{Key(grant.EndsOn)}"), null, now, ct));
        }
        // The coordinators get one notice per school system and run, naming how many of their grants end soon.
        foreach (var bySystem in grants.GroupBy(g => g.SchoolSystemId))
        {
            var people = await RequestRouting.LoadRecipientsAsync(db, bySystem.Key, today, ct);
            foreach (var byCoordinator in bySystem
                .SelectMany(g => people.WhoSees(g.SchoolId).Select(r => (Coordinator: r.StaffMemberId, Grant: g)))
                .Where(x => x.Coordinator != x.Grant.StaffMemberId)
                .GroupBy(x => x.Coordinator, x => x.Grant))
            {
                var list = byCoordinator.OrderBy(g => g.EndsOn).ToList();
                var first = list[0];
                var title = list.Count == 1
                    ? $"{first.Person}'s {first.Role} at {first.Scope} ends on {GrantTerm.Day(first.EndsOn)}"
                    : $"{list.Count} grants in {first.SchoolSystem} end within {WarnDaysBefore} days, the first {first.Person}'s {first.Role} on {GrantTerm.Day(first.EndsOn)}";
                var key = $"grants-end:{bySystem.Key}:{string.Join(',', list.Select(g => g.Id.ToString(CultureInfo.InvariantCulture)))}";
                notified.AddRange(await NotificationOutbox.AddAsync(db, [byCoordinator.Key],
                    new Notice(NotificationKind.GrantExpiring, title, "access/expiring", key.Length <= Notification.KeyMaxLength ? key : $"grants-end:{bySystem.Key}:{first.Id}:{list.Count}:{Key(today)}"),
                    null, now, ct));
            }
        }
        await transaction.CommitAsync(ct);
        NotificationOutbox.Publish(db, changes, notified, null, now);
        return grants.Count;
    }

    private static string PersonLink(string staffId) => "people/staff-id/" + Uri.EscapeDataString(staffId);

    private static string Key(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>Runs <see cref="GrantExpiry"/> every <see cref="NotificationOptions.CheckEvery"/>.</summary>
public sealed class GrantExpiryCheck(GrantExpiry expiry, TimeProvider clock, Scheduling.JobLeases leases, IOptions<NotificationOptions> options, ILogger<GrantExpiryCheck> logger)
    : Scheduling.PeriodicCheck(clock, leases, logger)
{
    protected override TimeSpan Interval => options.Value.CheckEvery;

    protected override string Doing => "Ending expired grants and warning of those that end soon";

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        var (ended, warned) = await expiry.RunAsync(ct);
        if (ended + warned > 0)
        {
            logger.LogInformation("Ended {Ended} expired grants; warned of {Warned} that end within {Days} days.", ended, warned, GrantExpiry.WarnDaysBefore);
        }
    }
}
