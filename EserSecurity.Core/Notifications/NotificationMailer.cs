using System.Globalization;
using System.Text;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Documents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace EserSecurity.Core.Notifications;

/// <summary>What one pass of the mail sender did.</summary>
/// <param name="MoreWaiting">More mail was due than one pass sends: run again at once.</param>
/// <param name="NextDueAt">The earliest time more mail falls due (a retry, a digest), if any.</param>
public sealed record MailPass(int Sent, int Failed, bool MoreWaiting, DateTimeOffset? NextDueAt);

/// <summary>
/// Sends the e-mail of notices: each "at once" notice as its own message, each person's "daily digest" notices as one
/// message at <see cref="MailOptions.DigestAtUtc"/>. A sender claims what it sends for a few minutes, so two console
/// instances do not send the same notice. A pass claims its notices in one update and, when it ends, marks every notice
/// the server accepted as sent in one update, so the sender writes twice per pass, not per message. A message that
/// fails is not marked sent: it waits longer each time and is tried again. Each message's Message-Id is made from its
/// notices, so a mail system that drops duplicates drops the rare second copy (a crash between the server's acceptance
/// and the pass's mark).
/// </summary>
public sealed class NotificationMailer(
    IDbContextFactory<EserSecurityDbContext> dbFactory, IMailTransport transport, TimeProvider clock, IOptions<MailOptions> options,
    IOptions<DocumentOptions> documents, IAccessChangeFeed changes, ConsoleMetrics metrics, ILogger<NotificationMailer> logger)
{
    /// <summary>How long a claim holds: longer than any pass takes, short enough that a crashed instance's mail goes soon after.</summary>
    internal static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(5);

    private sealed record Item(
        long Id, int RecipientId, string Email, string Name, MailState Mail, NotificationKind Kind, string Title, string? Link, DateTimeOffset CreatedAt, int Attempts);

    public async Task<MailPass> SendDueAsync(CancellationToken ct = default)
    {
        var mail = options.Value;
        if (!mail.Enabled)
        {
            return new MailPass(0, 0, false, null);
        }
        var now = clock.GetUtcNow();
        var claim = Guid.NewGuid();
        List<Item> claimed;
        DateTimeOffset? nextDue;
        bool more;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var free = db.Notifications.Where(n => n.MailClaimedUntil == null || n.MailClaimedUntil < now);
            var single = await free.Where(n => n.Mail == MailState.AtOnce && n.MailDueAt <= now).OrderBy(n => n.Id)
                .Select(n => n.Id).Take(mail.BatchSize + 1).ToListAsync(ct);
            var digests = await free.Where(n => n.Mail == MailState.Digest)
                .GroupBy(n => n.RecipientId).Select(g => new { RecipientId = g.Key, Oldest = g.Min(n => n.CreatedAt), Due = g.Max(n => n.MailDueAt) })
                .ToListAsync(ct);
            var dueDigests = digests.Where(d => DigestDue(d.Oldest, d.Due) <= now).Select(d => d.RecipientId).Take(mail.BatchSize).ToList();
            more = single.Count > mail.BatchSize || digests.Count(d => DigestDue(d.Oldest, d.Due) <= now) > dueDigests.Count;
            var ids = single.Take(mail.BatchSize).ToList();
            var until = now + ClaimFor;
            // A pass with nothing due claims nothing: an update, even of no row, would take the database's write lock.
            claimed = ids.Count == 0 && dueDigests.Count == 0 ? [] : await ClaimAsync(db, ids, dueDigests, now, claim, until, ct);
            var laterSingle = await free.Where(n => n.Mail == MailState.AtOnce && n.MailDueAt > now).MinAsync(n => n.MailDueAt, ct);
            var laterDigest = digests.Select(d => DigestDue(d.Oldest, d.Due)).Where(at => at > now).Order().Cast<DateTimeOffset?>().FirstOrDefault();
            nextDue = new[] { laterSingle, laterDigest }.Where(d => d is not null).Min();
        }
        if (claimed.Count == 0)
        {
            return new MailPass(0, 0, more, nextDue);
        }

        // Each "at once" notice is a message of its own; a person's digest notices are one message.
        var messages = claimed.Where(i => i.Mail == MailState.AtOnce).Select(i => new List<Item> { i })
            .Concat(claimed.Where(i => i.Mail == MailState.Digest).GroupBy(i => i.RecipientId).Select(g => g.ToList()))
            .ToList();
        var sent = new List<Item>();
        var marked = 0;
        var failed = new List<(Item Item, string Error)>();
        IMailSession? session = null;
        string? sessionError = null;
        try
        {
            session = await transport.OpenAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            sessionError = Explain(ex);
            logger.LogWarning(ex, "Could not reach the mail server; {Count} notices wait for the next attempt.", claimed.Count);
        }
        try
        {
            foreach (var items in messages)
            {
                var error = sessionError;
                if (session is not null)
                {
                    try
                    {
                        await session.SendAsync(Compose(items, now), ct);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        error = Explain(ex);
                        logger.LogWarning(ex, "Sending a notice to {RecipientId} failed; it is tried again.", items[0].RecipientId);
                    }
                }
                if (error is null)
                {
                    sent.AddRange(items);
                }
                else
                {
                    failed.AddRange(items.Select(i => (i, error)));
                }
            }
        }
        finally
        {
            if (session is not null)
            {
                await session.DisposeAsync();
            }
            // What the server accepted is marked even when the console stops in the middle of a pass (what it did not
            // reach stays claimed until the claim runs out, then goes).
            marked = await MarkSentAsync(sent, claim, CancellationToken.None);
            metrics.NoticesMailed(marked);
            await MarkFailedAsync(failed, claim, now, CancellationToken.None);
        }
        // Each recipient's notifications page shows the e-mail's new state (sent, or waiting after a failure).
        NotificationOutbox.Announce(changes, claimed.Select(i => i.RecipientId).Distinct().ToList(), null, clock.GetUtcNow());
        return new MailPass(marked, failed.Count, more, failed.Count > 0 ? Min(nextDue, now + mail.RetryAfter(claimed.Max(i => i.Attempts) + 1)) : nextDue);
    }

    /// <summary>A digest is due at the first digest time after its oldest notice; after a failed attempt, not before the retry.</summary>
    private DateTimeOffset DigestDue(DateTimeOffset oldest, DateTimeOffset? retryAt)
    {
        var due = options.Value.NextDigestAfter(oldest);
        return retryAt is { } retry && retry > due ? retry : due;
    }

    private MimeMessage Compose(List<Item> items, DateTimeOffset now)
    {
        var first = items[0];
        var message = new MimeMessage
        {
            Date = now,
            // The same notices always make the same id, so a mail system can drop a second copy.
            MessageId = $"notice-{string.Join('-', items.Select(i => i.Id.ToString(CultureInfo.InvariantCulture)))}@eser-security",
            Subject = items.Count == 1 && first.Mail == MailState.AtOnce ? first.Title : $"EserSecurity: {Count(items.Count)} since your last digest",
        };
        message.From.Add(MailboxAddress.Parse(options.Value.From));
        message.To.Add(new MailboxAddress(first.Name, first.Email));
        message.Headers.Add("Auto-Submitted", "auto-generated");
        var text = new StringBuilder().Append("Hello ").Append(first.Name).AppendLine(",").AppendLine();
        foreach (var item in items)
        {
            text.Append(items.Count > 1 || first.Mail == MailState.Digest ? "- " : "").AppendLine(item.Title);
            if (Address(item.Link) is { } address)
            {
                text.Append(items.Count > 1 || first.Mail == MailState.Digest ? "  " : "").AppendLine(address);
            }
        }
        text.AppendLine().AppendLine("You receive this because of your role in EserSecurity. Choose which notices reach you by e-mail, at once or in a daily digest, under Notifications in the console.");
        message.Body = new TextPart("plain") { Text = text.ToString() };
        return message;
    }

    private string? Address(string? link)
    {
        var console = documents.Value.ConsoleUrl;
        return link is null || string.IsNullOrWhiteSpace(console) ? null : console.TrimEnd('/') + "/" + link.TrimStart('/');
    }

    private static string Count(int notices) => notices == 1 ? "1 notice" : $"{notices} notices";

    private static async Task<List<Item>> ClaimAsync(
        EserSecurityDbContext db, List<long> ids, List<int> dueDigests, DateTimeOffset now, Guid claim, DateTimeOffset until, CancellationToken ct)
    {
        await db.Notifications.Where(n => (ids.Contains(n.Id) || (n.Mail == MailState.Digest && dueDigests.Contains(n.RecipientId)))
                && (n.MailClaimedUntil == null || n.MailClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.MailClaim, claim).SetProperty(n => n.MailClaimedUntil, until), ct);
        return await db.Notifications.AsNoTracking().Where(n => n.MailClaim == claim).OrderBy(n => n.Id)
            .Select(n => new Item(n.Id, n.RecipientId, n.Recipient!.Email, n.Recipient.FirstName + " " + n.Recipient.LastName, n.Mail, n.Kind, n.Title, n.Link, n.CreatedAt, n.MailAttempts))
            .ToListAsync(ct);
    }

    /// <summary>Every notice of the pass the server accepted, in one update: one short write, not one per message.</summary>
    private async Task<int> MarkSentAsync(List<Item> items, Guid claim, CancellationToken ct)
    {
        if (items.Count == 0)
        {
            return 0;
        }
        var ids = items.Select(i => i.Id).ToList();
        var at = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Notifications.Where(n => ids.Contains(n.Id) && n.MailClaim == claim)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.Mail, MailState.Sent).SetProperty(n => n.MailSentAt, at)
                .SetProperty(n => n.MailError, (string?)null).SetProperty(n => n.MailClaim, (Guid?)null).SetProperty(n => n.MailClaimedUntil, (DateTimeOffset?)null), ct);
    }

    /// <summary>The pass's failures, one update per reason and number of earlier attempts (which sets the retry): usually one.</summary>
    private async Task MarkFailedAsync(List<(Item Item, string Error)> failures, Guid claim, DateTimeOffset now, CancellationToken ct)
    {
        if (failures.Count == 0)
        {
            return;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        foreach (var group in failures.GroupBy(f => (f.Item.Attempts, f.Error)))
        {
            var ids = group.Select(f => f.Item.Id).ToList();
            var retryAt = now + options.Value.RetryAfter(group.Key.Attempts + 1);
            var text = group.Key.Error.Length <= Notification.ErrorMaxLength ? group.Key.Error : group.Key.Error[..Notification.ErrorMaxLength];
            await db.Notifications.Where(n => ids.Contains(n.Id) && n.MailClaim == claim)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.MailAttempts, n => n.MailAttempts + 1).SetProperty(n => n.MailDueAt, retryAt)
                    .SetProperty(n => n.MailError, text).SetProperty(n => n.MailClaim, (Guid?)null).SetProperty(n => n.MailClaimedUntil, (DateTimeOffset?)null), ct);
        }
    }

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset b) => a is { } value && value < b ? value : b;

    private static string Explain(Exception ex) => ex switch
    {
        MailKit.Net.Smtp.SmtpCommandException smtp => $"The mail server refused the message: {(int)smtp.StatusCode} {smtp.Message}",
        MailKit.Security.AuthenticationException => "The mail server refused the console's user name or password (Mail:UserName, Mail:Password).",
        System.Net.Sockets.SocketException or IOException => $"The mail server could not be reached: {ex.Message}",
        _ => ex.Message,
    };
}
