using System.Threading.Channels;
using EserSecurity.Core.Changes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Notifications;

/// <summary>
/// Runs <see cref="NotificationMailer"/>: at start (mail a stopped console left unsent goes now), when this instance
/// writes a notice, when a retry or a digest falls due, and every <see cref="MailOptions.PollInterval"/> for notices
/// other instances wrote.
/// </summary>
public sealed class NotificationMailDelivery(
    NotificationMailer mailer, IAccessChangeFeed changes, TimeProvider clock, IOptions<MailOptions> options, ILogger<NotificationMailDelivery> logger)
    : BackgroundService
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            logger.LogInformation("No mail server or pickup folder is configured (Mail:Host, Mail:PickupDirectory): notices show in the console only.");
            return;
        }
        using var subscription = changes.Subscribe(change =>
        {
            if (change.Kind == AccessChangeKind.NotificationsChanged)
            {
                _wake.Writer.TryWrite(true);
            }
            return Task.CompletedTask;
        });
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = options.Value.PollInterval;
            try
            {
                var pass = await mailer.SendDueAsync(stoppingToken);
                if (pass.MoreWaiting)
                {
                    wait = TimeSpan.Zero;
                }
                else if (pass.NextDueAt is { } due)
                {
                    wait = TimeSpan.FromTicks(Math.Clamp((due - clock.GetUtcNow()).Ticks, 0, wait.Ticks));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Sending notices by e-mail failed; the next pass tries again.");
            }
            if (wait > TimeSpan.Zero)
            {
                using var timer = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var woken = _wake.Reader.WaitToReadAsync(timer.Token).AsTask();
                await Task.WhenAny(woken, Task.Delay(wait, clock, timer.Token));
                await timer.CancelAsync();
                stoppingToken.ThrowIfCancellationRequested();
            }
            _wake.Reader.TryRead(out _);
        }
    }
}
