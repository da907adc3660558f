using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace EserSecurity.Core.Notifications;

/// <summary>Where messages go: an SMTP server, or a pickup folder. One session sends one pass's messages.</summary>
public interface IMailTransport
{
    Task<IMailSession> OpenAsync(CancellationToken ct);
}

public interface IMailSession : IAsyncDisposable
{
    Task SendAsync(MimeMessage message, CancellationToken ct);
}

/// <summary>Chooses the transport from <see cref="MailOptions"/>: the pickup folder when one is set, else the SMTP server.</summary>
internal sealed class ConfiguredMailTransport(IOptions<MailOptions> options) : IMailTransport
{
    public async Task<IMailSession> OpenAsync(CancellationToken ct)
    {
        var mail = options.Value;
        if (!string.IsNullOrWhiteSpace(mail.PickupDirectory))
        {
            return new PickupSession(Path.GetFullPath(mail.PickupDirectory));
        }
        var client = new SmtpClient { Timeout = (int)mail.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(mail.Host ?? "", mail.Port, mail.Security, ct);
            if (!string.IsNullOrEmpty(mail.UserName))
            {
                await client.AuthenticateAsync(mail.UserName, mail.Password ?? "", ct);
            }
            return new SmtpSession(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private sealed class SmtpSession(SmtpClient client) : IMailSession
    {
        public Task SendAsync(MimeMessage message, CancellationToken ct) => client.SendAsync(message, ct);

        public async ValueTask DisposeAsync()
        {
            try
            {
                await client.DisconnectAsync(true);
            }
            catch (Exception ex) when (ex is IOException or MailKit.ServiceNotConnectedException or MailKit.Net.Smtp.SmtpProtocolException)
            {
                // The messages were accepted; a disconnect that fails loses nothing.
            }
            client.Dispose();
        }
    }

    private sealed class PickupSession(string folder) : IMailSession
    {
        public async Task SendAsync(MimeMessage message, CancellationToken ct)
        {
            Directory.CreateDirectory(folder);
            var name = $"{message.Date.UtcDateTime:yyyyMMdd-HHmmss}-{Safe(message.MessageId ?? Guid.NewGuid().ToString("N"))}.eml";
            var partial = Path.Combine(folder, name + ".partial");
            // Written whole, then renamed, so a reader of the folder never sees half a message.
            await message.WriteToAsync(partial, ct);
            File.Move(partial, Path.Combine(folder, name), overwrite: true);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private static string Safe(string id) => new(id.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_').ToArray());
    }
}
