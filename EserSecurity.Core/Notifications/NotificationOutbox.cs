using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Notifications;

/// <summary>What a change tells people: the kind, one sentence, and the page it is about.</summary>
internal sealed record Notice(NotificationKind Kind, string Title, string? Link, string? Key = null);

/// <summary>What the outbox needs of a recipient: whether they have an e-mail address, and their choice for the notice's kind.</summary>
internal sealed record NoticeRecipient(int Id, bool HasAddress, NotificationDelivery? Choice);

/// <summary>
/// Writes notices inside the transaction of the change that causes them, each with its e-mail state from the
/// recipient's choice for the kind, and tells open pages after the commit. Every writer of notices comes through here,
/// so <see cref="NotificationOptions.Enabled"/> and <see cref="NotificationOptions.Mandatory"/> apply to all of them.
/// </summary>
internal static class NotificationOutbox
{
    private static readonly NotificationOptions Defaults = new();

    /// <summary>
    /// Adds the notice for each recipient except the person who acted (nobody is told of their own action). A notice
    /// with a key is added once per recipient and key. Returns who was notified, for <see cref="Publish"/>; nobody when
    /// the console writes no notices.
    /// </summary>
    public static async Task<IReadOnlyList<int>> AddAsync(
        EserSecurityDbContext db, IEnumerable<int> recipients, Notice notice, int? actorId, DateTimeOffset now, CancellationToken ct)
    {
        var options = OptionsOf(db);
        if (!options.Enabled)
        {
            return [];
        }
        var ids = recipients.Where(id => id != actorId).Distinct().ToList();
        if (notice.Key is { } key && ids.Count > 0)
        {
            var already = await db.Notifications.Where(n => n.Key == key && ids.Contains(n.RecipientId)).Select(n => n.RecipientId).ToListAsync(ct);
            ids.RemoveAll(already.Contains);
        }
        if (ids.Count == 0)
        {
            return [];
        }
        // One read for everyone: whether each has an address, and their choice for this kind.
        var kind = notice.Kind;
        var people = await db.StaffMembers.AsNoTracking().Where(s => ids.Contains(s.Id))
            .Select(s => new
            {
                s.Id,
                HasAddress = s.Email != "",
                Choice = db.NotificationPreferences.Where(p => p.StaffMemberId == s.Id && p.Kind == kind).Select(p => (NotificationDelivery?)p.Delivery).FirstOrDefault(),
            })
            .ToDictionaryAsync(p => p.Id, ct);
        foreach (var id in ids)
        {
            var person = people.GetValueOrDefault(id);
            Add(db, options, new NoticeRecipient(id, person?.HasAddress ?? false, person?.Choice), notice, now);
        }
        await db.SaveChangesAsync(ct);
        return ids;
    }

    /// <summary>
    /// Adds the notice for one recipient whom the change has already read (<see cref="NoticeRecipient"/>, in the query
    /// it makes anyway), without a read or a write of its own: the change's next SaveChanges writes it with the rest.
    /// Nobody is told of their own action. A notice with a key needs <see cref="AddAsync"/>, which looks for the key.
    /// </summary>
    public static IReadOnlyList<int> Stage(EserSecurityDbContext db, NoticeRecipient recipient, Notice notice, int? actorId, DateTimeOffset now)
    {
        if (notice.Key is not null)
        {
            throw new ArgumentException("A keyed notice is added once per recipient and key: use AddAsync.", nameof(notice));
        }
        var options = OptionsOf(db);
        if (!options.Enabled || recipient.Id == actorId)
        {
            return [];
        }
        Add(db, options, recipient, notice, now);
        return [recipient.Id];
    }

    private static void Add(EserSecurityDbContext db, NotificationOptions options, NoticeRecipient recipient, Notice notice, DateTimeOffset now)
    {
        var mail = !recipient.HasAddress ? MailState.None : options.DeliveryFor(notice.Kind, recipient.Choice) switch
        {
            NotificationDelivery.AtOnce => MailState.AtOnce,
            NotificationDelivery.DailyDigest => MailState.Digest,
            _ => MailState.None,
        };
        db.Notifications.Add(new Notification
        {
            RecipientId = recipient.Id, Kind = notice.Kind, Title = Shorten(notice.Title), Link = notice.Link, Key = notice.Key, CreatedAt = now,
            Mail = mail, MailDueAt = mail == MailState.AtOnce ? now : null,
        });
    }

    /// <summary>
    /// After the commit of new notices (one per entry of <paramref name="recipients"/>, as <see cref="AddAsync"/> and
    /// <see cref="Stage"/> return them): they count as sent to the console, each recipient's bell counts again, and this
    /// instance's mail sender looks at once, or with the rest of a burst it is gathering. <paramref name="db"/> is the
    /// context that wrote them, whose services hold the console's metrics.
    /// </summary>
    public static void Publish(EserSecurityDbContext db, IAccessChangeFeed changes, IReadOnlyList<int> recipients, int? actorId, DateTimeOffset now)
    {
        ServicesOf(db)?.GetService<ConsoleMetrics>()?.NoticesWritten(recipients.Count);
        Announce(changes, recipients.Distinct().ToList(), actorId, now);
    }

    /// <summary>Each recipient's bell counts again (and their notifications page shows what changed), without new notices.</summary>
    public static void Announce(IAccessChangeFeed changes, IReadOnlyList<int> recipients, int? actorId, DateTimeOffset now)
    {
        foreach (var id in recipients)
        {
            changes.Publish(new AccessChange(AccessChangeKind.NotificationsChanged, null, null, null, actorId, now, id));
        }
    }

    /// <summary>
    /// The notification options of the services the context was created by (the console's, a test's, a benchmark's), read
    /// as ASP.NET Core Identity reads its options from its context, so that no writer of notices has to pass them in;
    /// the defaults for a context made without services.
    /// </summary>
    private static NotificationOptions OptionsOf(EserSecurityDbContext db) =>
        ServicesOf(db)?.GetService<IOptions<NotificationOptions>>()?.Value ?? Defaults;

    private static IServiceProvider? ServicesOf(EserSecurityDbContext db) =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider;

    private static string Shorten(string title) =>
        title.Length <= Notification.TitleMaxLength ? title : title[..(Notification.TitleMaxLength - 1)] + "…";
}
