using System.Globalization;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Data;
using EserSecurity.Core.Notifications;
using EserSecurity.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.AccessRequests;

/// <summary>
/// Keeps waiting requests moving. A request that has waited at its stage longer than the queue's stale age
/// (<see cref="QueueOptions.StaleAfterDays"/>) reminds those it waits for; <see cref="NotificationOptions.EscalateAfterDays"/>
/// later it is escalated to the school system's district coordinators, and as long again after that to the state
/// administrators. Each level is recorded on the request by a conditional update, so a run repeated, or run by two
/// console instances at once, sends each follow-up once; a step of the request starts the count again.
/// </summary>
public sealed class RequestFollowUp(
    IDbContextFactory<EserSecurityDbContext> dbFactory, IAccessChangeFeed changes, TimeProvider clock, IOptions<QueueOptions> queue,
    IOptions<NotificationOptions> options)
{
    private sealed record Waiting(
        int Id, AccessRequestStatus Status, int SchoolSystemId, int? SchoolId, int RequesterId, WaitingFollowUp FollowUp, DateTimeOffset StageSince,
        string Requester, string StaffId, string Role, string Scope);

    /// <summary>
    /// The follow-up a request waiting at its stage since <paramref name="since"/> is due at <paramref name="now"/>, and
    /// when that level fell due: the reminder after the stale age, then each escalation <paramref name="escalateAfterDays"/> later.
    /// </summary>
    public static (WaitingFollowUp Level, DateTimeOffset? DueSince) DueAt(DateTimeOffset since, DateTimeOffset now, int staleAfterDays, int escalateAfterDays)
    {
        var reminder = since + TimeSpan.FromDays(staleAfterDays);
        var district = reminder + TimeSpan.FromDays(escalateAfterDays);
        var state = district + TimeSpan.FromDays(escalateAfterDays);
        return now >= state ? (WaitingFollowUp.EscalatedToState, state)
            : now >= district ? (WaitingFollowUp.EscalatedToDistrict, district)
            : now > reminder ? (WaitingFollowUp.Reminded, reminder)
            : (WaitingFollowUp.None, null);
    }

    /// <summary>
    /// How a queue shows a waiting request's follow-up, with the day it was sent ("Escalated to state administrators Dec 11");
    /// null when there is none. The access request queues and the link requests page use the same words.
    /// </summary>
    public static string? Describe(WaitingFollowUp level, DateTimeOffset? at)
    {
        var day = at?.UtcDateTime.ToString("MMM d", CultureInfo.InvariantCulture);
        return level switch
        {
            WaitingFollowUp.Reminded => $"Reminder sent {day}",
            WaitingFollowUp.EscalatedToDistrict => $"Escalated to district coordinators {day}",
            WaitingFollowUp.EscalatedToState => $"Escalated to state administrators {day}",
            _ => null,
        };
    }

    /// <summary>Sends every follow-up that is due; returns how many requests moved to a further level.</summary>
    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var today = clock.Today();
        var staleSince = now - TimeSpan.FromDays(queue.Value.StaleAfterDays);
        List<Waiting> candidates;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            candidates = await db.AccessRequests.AsNoTracking()
                .Where(r => (r.Status == AccessRequestStatus.PendingCoordinator || r.Status == AccessRequestStatus.PendingSupervisor)
                    && r.FollowUp != WaitingFollowUp.EscalatedToState && r.StageSince < staleSince)
                .Select(r => new Waiting(r.Id, r.Status, r.SchoolSystemId, r.SchoolId, r.RequesterId, r.FollowUp, r.StageSince,
                    r.Requester!.FirstName + " " + r.Requester.LastName, r.Requester.StaffId, r.EserRole!.Name,
                    r.School != null ? r.School.Name : r.SchoolSystem!.Name))
                .ToListAsync(ct);
        }

        var moved = 0;
        var recipients = new Dictionary<int, SchoolSystemRecipients>();
        foreach (var request in candidates)
        {
            var (due, _) = DueAt(request.StageSince, now, queue.Value.StaleAfterDays, options.Value.EscalateAfterDays);
            if (due > request.FollowUp && await FollowUpAsync(request, due, recipients, today, now, ct))
            {
                moved++;
            }
        }
        return moved;
    }

    private async Task<bool> FollowUpAsync(
        Waiting request, WaitingFollowUp due, Dictionary<int, SchoolSystemRecipients> recipients, DateOnly today, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.BeginWriteAsync(ct);
        var updated = await db.AccessRequests.Where(r => r.Id == request.Id && r.Status == request.Status && r.FollowUp == request.FollowUp)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.FollowUp, due).SetProperty(r => r.FollowedUpAt, now), ct);
        if (updated == 0)
        {
            // Decided, or followed up by another instance, since it was read.
            return false;
        }
        if (!recipients.TryGetValue(request.SchoolSystemId, out var people))
        {
            people = recipients[request.SchoolSystemId] = await RequestRouting.LoadRecipientsAsync(db, request.SchoolSystemId, today, ct);
        }
        var days = (int)(now - request.StageSince).TotalDays;
        var what = $"{request.Requester}'s request for {request.Role} at {request.Scope}";
        var stage = request.Status == AccessRequestStatus.PendingSupervisor ? "the special education supervisor" : "a coordinator";
        var notified = new List<int>();
        // A console that was stopped for days catches up: each level not yet sent goes now, in order.
        for (var level = request.FollowUp + 1; level <= due; level++)
        {
            var key = $"request:{request.Id}:{request.Status}:{level}";
            var (to, notice) = level switch
            {
                WaitingFollowUp.Reminded => (await WithDeputiesAsync(db, people.WaitingFor(request.Status, request.SchoolId), request.SchoolSystemId, today, ct),
                    new Notice(NotificationKind.WaitingReminder, $"{what} has waited {days} days for you", QueueLink(request), key)),
                WaitingFollowUp.EscalatedToDistrict => (people.WhoSees(null).Select(r => r.StaffMemberId).ToList(),
                    new Notice(NotificationKind.Escalation, $"Escalated to you: {what} has waited {days} days for {stage}", PersonLink(request), key)),
                _ => (await db.StateAdministrators.ActiveOn(today).Select(a => a.StaffMemberId).ToListAsync(ct),
                    new Notice(NotificationKind.Escalation, $"Escalated to the state: {what} has waited {days} days for {stage}", PersonLink(request), key)),
            };
            notified.AddRange(await NotificationOutbox.AddAsync(db, to.Where(id => id != request.RequesterId), notice, null, now, ct));
        }
        await transaction.CommitAsync(ct);
        changes.Publish(new AccessChange(AccessChangeKind.RequestFollowedUp, request.SchoolSystemId, request.SchoolId, request.Id, null, now));
        NotificationOutbox.Publish(db, changes, notified, null, now);
        return true;
    }

    /// <summary>Those a request waits for, and the deputies covering for them today.</summary>
    private static async Task<List<int>> WithDeputiesAsync(
        EserSecurityDbContext db, IReadOnlyList<RequestRecipient> waitingFor, int schoolSystemId, DateOnly today, CancellationToken ct)
    {
        var ids = waitingFor.Select(r => r.StaffMemberId).ToList();
        return ids.Concat(await DeputyService.CoveringAsync(db, ids, schoolSystemId, today, ct)).Distinct().ToList();
    }

    private static string QueueLink(Waiting request) =>
        (request.Status == AccessRequestStatus.PendingSupervisor ? "supervisor" : "queue") + "?search=" + Uri.EscapeDataString(request.StaffId);

    private static string PersonLink(Waiting request) => "people/staff-id/" + Uri.EscapeDataString(request.StaffId);
}

/// <summary>Runs <see cref="RequestFollowUp"/> every <see cref="NotificationOptions.CheckEvery"/>.</summary>
public sealed class RequestFollowUpCheck(
    RequestFollowUp followUp, TimeProvider clock, Scheduling.JobLeases leases, IOptions<NotificationOptions> options, Microsoft.Extensions.Logging.ILogger<RequestFollowUpCheck> logger)
    : Scheduling.PeriodicCheck(clock, leases, logger)
{
    protected override TimeSpan Interval => options.Value.CheckEvery;

    protected override string Doing => "Following up waiting requests";

    protected override async Task RunOnceAsync(CancellationToken ct) => await followUp.RunAsync(ct);
}
