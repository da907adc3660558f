using System.Threading.Channels;
using EserSecurity.Core.Changes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Provisioning;

/// <summary>
/// Runs <see cref="WebhookSender"/>: at start, whenever this instance publishes a change while some client has a webhook,
/// when a failed delivery's retry falls due, and every <see cref="WebhookOptions.PollInterval"/> for what other instances wrote.
/// </summary>
public sealed class WebhookDelivery(
    WebhookSender sender, IAccessChangeFeed changes, TimeProvider clock, IOptions<WebhookOptions> options, ILogger<WebhookDelivery> logger)
    : BackgroundService
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private volatile bool _haveWebhooks = true;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = changes.Subscribe(change =>
        {
            // With no webhook registered, a change costs nothing here; a change to the register is always looked at.
            if ((_haveWebhooks && change.Kind != AccessChangeKind.WebhookDeliveryChanged) || change.Kind == AccessChangeKind.ApiClientsChanged)
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
                var pass = await sender.DeliverDueAsync(stoppingToken);
                _haveWebhooks = pass.Clients > 0;
                if (pass.MoreWaiting)
                {
                    wait = TimeSpan.Zero;
                }
                else if (pass.NextRetryAt is { } retryAt)
                {
                    wait = TimeSpan.FromTicks(Math.Clamp((retryAt - clock.GetUtcNow()).Ticks, 0, wait.Ticks));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Sending webhooks failed; the next pass tries again.");
            }
            await WaitAsync(wait, stoppingToken);
        }
    }

    private async Task WaitAsync(TimeSpan wait, CancellationToken ct)
    {
        if (wait > TimeSpan.Zero)
        {
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var woken = _wake.Reader.WaitToReadAsync(timer.Token).AsTask();
            await Task.WhenAny(woken, Task.Delay(wait, clock, timer.Token));
            await timer.CancelAsync();
            ct.ThrowIfCancellationRequested();
        }
        _wake.Reader.TryRead(out _);
    }
}
