using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Notifications;

/// <summary>
/// A person's own notices (the bell and the notifications page) and their e-mail choices. Everyone reads and changes
/// only their own; the kinds the state makes mandatory (<see cref="NotificationOptions.Mandatory"/>) cannot be set to no e-mail.
/// </summary>
public sealed class NotificationService(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, IAccessChangeFeed changes, TimeProvider clock, IOptions<MailOptions> mail,
    IOptions<NotificationOptions> notifications)
{
    /// <summary>Whether this console e-mails notices at all (a mail server or a pickup folder is configured).</summary>
    public bool SendsMail => mail.Value.Enabled;

    /// <summary>
    /// Whether this console writes notices at all (<see cref="NotificationOptions.Enabled"/>). When it does not, the bell
    /// and the e-mail choices have nothing to offer, so the console shows neither; notices written before stay listed.
    /// </summary>
    public bool WritesNotices => notifications.Value.Enabled;

    /// <summary>Notices the bell lists, newest first.</summary>
    public const int BellSize = 8;

    /// <summary>Whether a change concerns the person's bell or notifications page: their own notices changed.</summary>
    public static bool ConcernsInbox(AccessChange change, int? staffMemberId) =>
        change.Kind == AccessChangeKind.NotificationsChanged && staffMemberId is not null && change.SubjectStaffMemberId == staffMemberId;

    public async Task<int> CountUnreadAsync(Caller caller, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Notifications.CountAsync(n => n.RecipientId == caller.StaffMemberId && n.ReadAt == null, ct);
    }

    /// <summary>The person's notices, newest first, a page at a time (the first is 0); only unread ones when asked.</summary>
    public async Task<PagedResult<NotificationRow>> ListAsync(Caller caller, int page, int pageSize, bool unreadOnly = false, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var own = db.Notifications.AsNoTracking().Where(n => n.RecipientId == caller.StaffMemberId && (!unreadOnly || n.ReadAt == null));
        var total = await own.CountAsync(ct);
        var rows = await own.OrderByDescending(n => n.Id).Skip(Math.Max(0, page) * Math.Clamp(pageSize, 1, 200)).Take(Math.Clamp(pageSize, 1, 200))
            .Select(n => new NotificationRow(n.Id, n.Kind, n.Title, n.Link, n.CreatedAt, n.ReadAt, n.Mail, n.MailSentAt)).ToListAsync(ct);
        return new PagedResult<NotificationRow>(rows, total);
    }

    /// <summary>Marks one of the person's notices read; someone else's is refused as if it did not exist.</summary>
    public async Task MarkReadAsync(Caller caller, long notificationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var recipient = await db.Notifications.Where(n => n.Id == notificationId).Select(n => (int?)n.RecipientId).SingleOrDefaultAsync(ct);
        if (recipient != caller.StaffMemberId)
        {
            throw scopes.Refuse(caller.StaffMemberId, "That notice does not exist or is someone else's.");
        }
        var now = clock.GetUtcNow();
        if (await db.Notifications.Where(n => n.Id == notificationId && n.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct) > 0)
        {
            Published(caller, now);
        }
    }

    /// <summary>Marks every unread notice of the person read; returns how many.</summary>
    public async Task<int> MarkAllReadAsync(Caller caller, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var marked = await db.Notifications.Where(n => n.RecipientId == caller.StaffMemberId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        if (marked > 0)
        {
            Published(caller, now);
        }
        return marked;
    }

    /// <summary>
    /// How each kind reaches the person and whether the state makes it mandatory: a kind never chosen is e-mailed at once,
    /// and so is a mandatory kind whose "no e-mail" was saved before it became mandatory.
    /// </summary>
    public async Task<IReadOnlyList<NotificationChoice>> GetChoicesAsync(Caller caller, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var chosen = await db.NotificationPreferences.AsNoTracking().Where(p => p.StaffMemberId == caller.StaffMemberId)
            .ToDictionaryAsync(p => p.Kind, p => (NotificationDelivery?)p.Delivery, ct);
        var options = notifications.Value;
        return NotificationKinds.All.Select(k => new NotificationChoice(
            k, NotificationKinds.Describe(k), options.DeliveryFor(k, chosen.GetValueOrDefault(k)), options.IsMandatory(k))).ToList();
    }

    /// <summary>Sets how one kind reaches the person by e-mail, from the next notice on; audited. No e-mail is refused for a mandatory kind.</summary>
    public async Task SetChoiceAsync(Caller caller, NotificationKind kind, NotificationDelivery delivery, CancellationToken ct = default)
    {
        if (!Enum.IsDefined(kind) || !Enum.IsDefined(delivery))
        {
            throw new NotificationRefusedException("Choose a kind of notice and how it reaches you from the lists.");
        }
        if (delivery == NotificationDelivery.None && notifications.Value.IsMandatory(kind))
        {
            throw new NotificationRefusedException(
                $"E-mail for \"{NotificationKinds.Describe(kind)}\" is required by the state: choose at once or a daily digest.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.BeginWriteAsync(ct);
        var row = await db.NotificationPreferences.SingleOrDefaultAsync(p => p.StaffMemberId == caller.StaffMemberId && p.Kind == kind, ct);
        var before = row?.Delivery ?? NotificationDelivery.AtOnce;
        if (before == delivery)
        {
            return;
        }
        if (row is null)
        {
            db.NotificationPreferences.Add(new NotificationPreference { StaffMemberId = caller.StaffMemberId, Kind = kind, Delivery = delivery });
        }
        else
        {
            row.Delivery = delivery;
        }
        await db.SaveChangesAsync(ct);
        var now = clock.GetUtcNow();
        await AuditLog.AppendAsync(db, caller, now, new AuditEntry("Notification.ChoiceChanged", nameof(NotificationPreference),
            $"{caller.StaffMemberId}/{kind}", null, new { Kind = kind.ToString(), Delivery = before.ToString() }, new { Kind = kind.ToString(), Delivery = delivery.ToString() }), ct);
        await transaction.CommitAsync(ct);
        Published(caller, now);
    }

    private void Published(Caller caller, DateTimeOffset now) =>
        changes.Publish(new AccessChange(AccessChangeKind.NotificationsChanged, null, null, null, caller.StaffMemberId, now, caller.StaffMemberId));
}
