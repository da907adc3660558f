using Microsoft.Extensions.Options;
using MimeKit;

namespace EserSecurity.Core.Notifications;

/// <summary>One message in the pickup folder, as the Development outbox page shows it.</summary>
public sealed record PickedUpMail(string FileName, DateTimeOffset Date, string To, string Subject, string Text);

/// <summary>
/// Reads the messages the console wrote to <see cref="MailOptions.PickupDirectory"/>, newest first: Development's stand-in
/// for a mailbox, so people can see what would have been e-mailed without a mail server.
/// </summary>
public sealed class PickupMailbox(IOptions<MailOptions> options)
{
    /// <summary>The folder, when mail goes to one.</summary>
    public string? Folder => string.IsNullOrWhiteSpace(options.Value.PickupDirectory) ? null : Path.GetFullPath(options.Value.PickupDirectory);

    public async Task<(IReadOnlyList<PickedUpMail> Items, int Total)> ListAsync(int page, int pageSize, CancellationToken ct = default)
    {
        if (Folder is not { } folder || !Directory.Exists(folder))
        {
            return ([], 0);
        }
        var files = new DirectoryInfo(folder).GetFiles("*.eml").OrderByDescending(f => f.Name, StringComparer.Ordinal).ToList();
        var items = new List<PickedUpMail>();
        foreach (var file in files.Skip(Math.Max(0, page) * pageSize).Take(pageSize))
        {
            var message = await MimeMessage.LoadAsync(file.FullName, ct);
            items.Add(new PickedUpMail(file.Name, message.Date, string.Join(", ", message.To.Mailboxes.Select(m => m.ToString())), message.Subject ?? "",
                message.TextBody ?? ""));
        }
        return (items, files.Count);
    }
}
