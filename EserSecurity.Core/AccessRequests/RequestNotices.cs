using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Data;
using EserSecurity.Core.Notifications;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.AccessRequests;

/// <summary>What a request's notices say of it: who asks, their staff id (for the link), the role and where.</summary>
internal sealed record RequestNoticeFacts(string Requester, string StaffId, string Role, string Scope);

/// <summary>
/// Who a request's steps tell, and what they read: a new request tells the coordinators it routes to and their deputies
/// in force (the state administrators when it reaches no coordinator), a coordinator's approval of IEP Forms access
/// tells the supervisors and their deputies, and each decision tells the requester. Written in the step's own transaction.
/// </summary>
internal static class RequestNotices
{
    public static async Task<IReadOnlyList<int>> SubmittedAsync(
        EserSecurityDbContext db, int requestId, int schoolSystemId, int? schoolId, int requesterId, DateOnly today, DateTimeOffset now, CancellationToken ct)
    {
        var facts = await FactsAsync(db, requestId, ct);
        var coordinators = await RequestRouting.WhoSeesAsync(db, schoolSystemId, schoolId, today, ct);
        var recipients = coordinators.Count > 0 ? coordinators.Concat(await DeputyService.CoveringAsync(db, coordinators, schoolSystemId, today, ct)).ToHashSet()
            : (await db.StateAdministrators.ActiveOn(today).Select(a => a.StaffMemberId).ToListAsync(ct)).ToHashSet();
        var title = coordinators.Count > 0
            ? $"{facts.Requester} asks for {facts.Role} at {facts.Scope}"
            : $"{facts.Requester} asks for {facts.Role} at {facts.Scope}, and no coordinator covers it";
        return await NotificationOutbox.AddAsync(db, recipients, new Notice(NotificationKind.RequestWaiting, title, QueueLink(facts.StaffId)), requesterId, now, ct);
    }

    /// <summary>
    /// After a coordinator's or supervisor's step: the requester hears the outcome; supervisors hear of IEP Forms access
    /// waiting for them. The step has read the request's facts and the requester's e-mail facts already, so the
    /// requester's notice costs no read: call before the step's SaveChanges, which writes it with the step.
    /// </summary>
    public static async Task<IReadOnlyList<int>> DecidedAsync(
        EserSecurityDbContext db, RequestNoticeFacts facts, NoticeRecipient requester, int schoolSystemId, AccessRequestStatus target, string? reason,
        int actorId, DateOnly today, DateTimeOffset now, CancellationToken ct)
    {
        var what = $"{facts.Role} at {facts.Scope}";
        var title = target switch
        {
            AccessRequestStatus.Approved => $"Your request for {what} is approved",
            AccessRequestStatus.Denied => $"Your request for {what} was denied: {reason}",
            AccessRequestStatus.PendingSupervisor => $"A coordinator approved your request for {what}; it now waits for the special education supervisor",
            _ => null,
        };
        var notified = new List<int>();
        if (title is not null)
        {
            notified.AddRange(NotificationOutbox.Stage(db, requester, new Notice(NotificationKind.RequestDecided, title, "requests/mine"), actorId, now));
        }
        if (target == AccessRequestStatus.PendingSupervisor)
        {
            notified.AddRange(await EndorsementWaitingAsync(db, facts, schoolSystemId, [actorId, requester.Id], today, now, ct));
        }
        return notified;
    }

    /// <summary>IEP Forms access a coordinator approved (or migrated from TAS) waits for the school system's supervisors.</summary>
    public static async Task<IReadOnlyList<int>> EndorsementWaitingAsync(
        EserSecurityDbContext db, int requestId, int schoolSystemId, int actorId, int requesterId, DateOnly today, DateTimeOffset now, CancellationToken ct) =>
        await EndorsementWaitingAsync(db, await FactsAsync(db, requestId, ct), schoolSystemId, [actorId, requesterId], today, now, ct);

    private static async Task<IReadOnlyList<int>> EndorsementWaitingAsync(
        EserSecurityDbContext db, RequestNoticeFacts facts, int schoolSystemId, int[] notThem, DateOnly today, DateTimeOffset now, CancellationToken ct)
    {
        var supervisors = await db.SupervisorAssignments.ActiveOn(today).Where(a => a.SchoolSystemId == schoolSystemId)
            .Select(a => a.StaffMemberId).ToListAsync(ct);
        supervisors = supervisors.Concat(await DeputyService.CoveringAsync(db, supervisors, schoolSystemId, today, ct)).Where(id => !notThem.Contains(id)).Distinct().ToList();
        var notice = new Notice(NotificationKind.EndorsementWaiting,
            $"{facts.Requester} needs your endorsement for {facts.Role} (IEP Forms) at {facts.Scope}", SupervisorLink(facts.StaffId));
        return await NotificationOutbox.AddAsync(db, supervisors, notice, null, now, ct);
    }

    private static Task<RequestNoticeFacts> FactsAsync(EserSecurityDbContext db, int requestId, CancellationToken ct) =>
        db.AccessRequests.AsNoTracking().Where(r => r.Id == requestId)
            .Select(r => new RequestNoticeFacts(r.Requester!.FirstName + " " + r.Requester.LastName, r.Requester.StaffId, r.EserRole!.Name,
                r.School != null ? r.School.Name : r.SchoolSystem!.Name))
            .SingleAsync(ct);

    private static string QueueLink(string staffId) => "queue?search=" + Uri.EscapeDataString(staffId);

    private static string SupervisorLink(string staffId) => "supervisor?search=" + Uri.EscapeDataString(staffId);
}
