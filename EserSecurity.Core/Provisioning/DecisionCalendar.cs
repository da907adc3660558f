using System.Globalization;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Data;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.Scheduling;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Provisioning;

/// <summary>
/// Writes to the change feed the decisions a day changes without anyone acting: on go-live day every person with a role
/// (<see cref="AccessDecisionChangeKind.GoLive"/>), and on the first overdue day of a school year's assurance every person
/// with a role who has not signed (<see cref="AccessDecisionChangeKind.Suspended"/>, <see cref="AccessDecisionReasons.AssuranceOverdue"/>).
/// Each transition is written once, keyed in <see cref="DecisionTransition"/>, whichever instance or run gets there first.
/// </summary>
public sealed class DecisionCalendar(IDbContextFactory<EserSecurityDbContext> dbFactory, TimeProvider clock, IOptions<AssuranceOptions> assurance)
{
    public const string ActorName = "System: access decisions on the day that changes them";

    /// <summary>Records every transition whose day has come and that is not recorded yet; returns what it recorded.</summary>
    public async Task<IReadOnlyList<(string Key, int People)>> RecordDueTransitionsAsync(CancellationToken ct = default)
    {
        var today = clock.Today();
        var recorded = new List<(string, int)>();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if ((await KeyDateService.GoLiveAsync(db, today, ct))?.On is { } goLive && today >= goLive)
        {
            var key = "go-live:" + goLive.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (await RecordAsync(db, key, AccessDecisionChangeKind.GoLive, null, PeopleWithARole(db), ct) is { } count)
            {
                recorded.Add((key, count));
            }
        }
        var year = SchoolYear.Containing(today);
        if (today >= AssuranceRules.OverdueFrom(year, assurance.Value.GraceDays))
        {
            var key = "assurance-overdue:" + year.StartYear.ToString(CultureInfo.InvariantCulture);
            var unsigned = PeopleWithARole(db).Where(id => !db.AssuranceSignatures.Any(s => s.StaffMemberId == id && s.SchoolYear == year.StartYear));
            if (await RecordAsync(db, key, AccessDecisionChangeKind.Suspended, AccessDecisionReasons.AssuranceOverdue, unsigned, ct) is { } count)
            {
                recorded.Add((key, count));
            }
        }
        return recorded;
    }

    private static IQueryable<int> PeopleWithARole(EserSecurityDbContext db) =>
        db.StaffMembers.Where(s => s.EmploymentStatus == EmploymentStatus.Active && db.AccessGrants.Any(g => g.StaffMemberId == s.Id && g.EndedAt == null))
            .Select(s => s.Id);

    private async Task<int?> RecordAsync(
        EserSecurityDbContext db, string key, AccessDecisionChangeKind kind, string? reason, IQueryable<int> people, CancellationToken ct)
    {
        if (await db.DecisionTransitions.AnyAsync(t => t.Key == key, ct))
        {
            return null;
        }
        await using var transaction = await db.BeginWriteAsync(ct);
        // Asked again under the write lock: another instance may have recorded it since.
        if (await db.DecisionTransitions.AnyAsync(t => t.Key == key, ct))
        {
            return null;
        }
        var now = clock.GetUtcNow();
        var ids = await people.OrderBy(id => id).ToListAsync(ct);
        if (ids.Count == 0)
        {
            // Nobody's decision changes; asked again next time, so people who get a role later are still covered.
            return null;
        }
        await RowInserter.InsertAsync(db, ids.Select(id => new AccessDecisionChange { At = now, Kind = kind, StaffMemberId = id, Reason = reason }).ToList(),
            keysFromStore: true, null, ct);
        db.DecisionTransitions.Add(new DecisionTransition { Key = key, RecordedAt = now, People = ids.Count });
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsSystemAsync(db, ActorName, now,
            new AuditEntry("AccessDecision.Transition", nameof(DecisionTransition), key, null, null, new { Kind = kind.ToString(), Reason = reason, People = ids.Count }), ct);
        await transaction.CommitAsync(ct);
        return ids.Count;
    }
}

/// <summary>Runs <see cref="DecisionCalendar"/> at start and every 15 minutes.</summary>
public sealed class DecisionCalendarCheck(DecisionCalendar calendar, TimeProvider clock, JobLeases leases, ILogger<DecisionCalendarCheck> logger) : PeriodicCheck(clock, leases, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMinutes(15);

    protected override string Doing => "Writing the day's access-decision changes";

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        foreach (var (key, people) in await calendar.RecordDueTransitionsAsync(ct))
        {
            logger.LogInformation("Access decisions: {Transition} recorded for {People} people.", key, people);
        }
    }
}
