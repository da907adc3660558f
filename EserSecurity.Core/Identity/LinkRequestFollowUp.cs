using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Data;
using EserSecurity.Core.Notifications;
using EserSecurity.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Identity;

/// <summary>
/// Keeps waiting link requests moving, on the clock of <see cref="RequestFollowUp"/>. A link request that has waited
/// longer than the queue's stale age (<see cref="QueueOptions.StaleAfterDays"/>) reminds those who decide it: the school
/// system's district coordinators, or the state administrators when it has none. The district coordinators are the
/// ones it already waits for, so there is no district level: <see cref="NotificationOptions.EscalateAfterDays"/> after
/// the reminder it is escalated straight to the state administrators, who can decide it themselves, and the request is
/// recorded as <see cref="WaitingFollowUp.EscalatedToState"/>. Each level is recorded on the link request by a
/// conditional update, so a run repeated, or run by two console instances at once, sends each follow-up once; a
/// confirmed or refused link request is not followed up.
/// </summary>
public sealed class LinkRequestFollowUp(
    IDbContextFactory<EserSecurityDbContext> dbFactory, IAccessChangeFeed changes, TimeProvider clock, IOptions<QueueOptions> queue,
    IOptions<NotificationOptions> options)
{
    private sealed record Waiting(
        int Id, int SchoolSystemId, int? SchoolId, WaitingFollowUp FollowUp, DateTimeOffset FiledAt, string? DisplayName, string ClaimedStaffId,
        string SchoolSystem);

    /// <summary>
    /// The follow-up a link request filed at <paramref name="filedAt"/> is due at <paramref name="now"/>: the reminder
    /// after the stale age, then the escalation to the state when <see cref="RequestFollowUp.DueAt"/> would escalate an
    /// access request to the district.
    /// </summary>
    public static WaitingFollowUp DueAt(DateTimeOffset filedAt, DateTimeOffset now, int staleAfterDays, int escalateAfterDays) =>
        RequestFollowUp.DueAt(filedAt, now, staleAfterDays, escalateAfterDays).Level switch
        {
            WaitingFollowUp.EscalatedToDistrict or WaitingFollowUp.EscalatedToState => WaitingFollowUp.EscalatedToState,
            var level => level,
        };

    /// <summary>Sends every follow-up that is due; returns how many link requests moved to a further level.</summary>
    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var today = clock.Today();
        var staleSince = now - TimeSpan.FromDays(queue.Value.StaleAfterDays);
        List<Waiting> candidates;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            candidates = await db.LinkRequests.AsNoTracking()
                .Where(r => r.State == LinkRequestState.Pending && r.FollowUp != WaitingFollowUp.EscalatedToState && r.FiledAt < staleSince)
                .Select(r => new Waiting(r.Id, r.SchoolSystemId, r.SchoolId, r.FollowUp, r.FiledAt, r.DisplayName, r.ClaimedStaffId, r.SchoolSystem!.Name))
                .ToListAsync(ct);
        }

        var moved = 0;
        foreach (var request in candidates)
        {
            var due = DueAt(request.FiledAt, now, queue.Value.StaleAfterDays, options.Value.EscalateAfterDays);
            if (due > request.FollowUp && await FollowUpAsync(request, due, today, now, ct))
            {
                moved++;
            }
        }
        return moved;
    }

    private async Task<bool> FollowUpAsync(Waiting request, WaitingFollowUp due, DateOnly today, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.BeginWriteAsync(ct);
        var updated = await db.LinkRequests
            .Where(r => r.Id == request.Id && r.State == LinkRequestState.Pending && r.FollowUp == request.FollowUp)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.FollowUp, due).SetProperty(r => r.FollowedUpAt, now), ct);
        if (updated == 0)
        {
            // Decided, or followed up by another instance, since it was read.
            return false;
        }
        var days = (int)(now - request.FiledAt).TotalDays;
        var what = $"{request.DisplayName ?? "An unnamed account"}'s request to link their sign-in to Staff ID {request.ClaimedStaffId} in {request.SchoolSystem}";
        var notified = new List<int>();
        // A console that was stopped for days catches up: the reminder, if not yet sent, goes before the escalation.
        if (request.FollowUp < WaitingFollowUp.Reminded)
        {
            var notice = new Notice(NotificationKind.WaitingReminder, $"{what} has waited {days} days for you", "link-requests", Key(request, WaitingFollowUp.Reminded));
            notified.AddRange(await NotificationOutbox.AddAsync(db, await LinkRequestService.DecidersAsync(db, request.SchoolSystemId, today, ct), notice, null, now, ct));
        }
        if (due == WaitingFollowUp.EscalatedToState)
        {
            var notice = new Notice(NotificationKind.Escalation, $"Escalated to the state: {what} has waited {days} days for a decision",
                "link-requests", Key(request, WaitingFollowUp.EscalatedToState));
            var administrators = await db.StateAdministrators.ActiveOn(today).Select(a => a.StaffMemberId).ToListAsync(ct);
            notified.AddRange(await NotificationOutbox.AddAsync(db, administrators, notice, null, now, ct));
        }
        await transaction.CommitAsync(ct);
        changes.Publish(new AccessChange(AccessChangeKind.LinkRequestChanged, request.SchoolSystemId, request.SchoolId, null, null, now));
        NotificationOutbox.Publish(db, changes, notified, null, now);
        return true;
    }

    private static string Key(Waiting request, WaitingFollowUp level) => $"link:{request.Id}:{level}";
}

/// <summary>Runs <see cref="LinkRequestFollowUp"/> every <see cref="NotificationOptions.CheckEvery"/>.</summary>
public sealed class LinkRequestFollowUpCheck(
    LinkRequestFollowUp followUp, TimeProvider clock, Scheduling.JobLeases leases, IOptions<NotificationOptions> options,
    Microsoft.Extensions.Logging.ILogger<LinkRequestFollowUpCheck> logger)
    : Scheduling.PeriodicCheck(clock, leases, logger)
{
    protected override TimeSpan Interval => options.Value.CheckEvery;

    protected override string Doing => "Following up waiting link requests";

    protected override async Task RunOnceAsync(CancellationToken ct) => await followUp.RunAsync(ct);
}
