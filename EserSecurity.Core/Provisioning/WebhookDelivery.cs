using EserSecurity.Core.Changes;
using EserSecurity.Core.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Provisioning;

/// <summary>
/// Runs <see cref="WebhookSender"/>: at start, whenever this instance publishes a change while some client has a webhook,
/// when a failed delivery's retry falls due, and every <see cref="WebhookOptions.PollInterval"/> for what other instances wrote.
/// A pass holds the webhook lease (<see cref="JobLeases"/>), so two instances never post the same batch at once; an
/// instance that finds the lease held looks again after <see cref="LeaseHeldRetry"/>, when the other's pass has usually
/// ended, and sends what that pass left. The cursor moves only from where a pass started, so a batch is never recorded
/// twice either.
/// </summary>
public sealed class WebhookDelivery(
    WebhookSender sender, IAccessChangeFeed changes, TimeProvider clock, JobLeases leases, IOptions<WebhookOptions> options,
    ILogger<WebhookDelivery> logger)
    : WakeableWorker(changes, clock, logger)
{
    /// <summary>How soon an instance that found another's pass running looks again.</summary>
    internal static readonly TimeSpan LeaseHeldRetry = TimeSpan.FromSeconds(1);

    private volatile bool _haveWebhooks = true;

    protected override TimeSpan PollInterval => options.Value.PollInterval;

    protected override string Doing => "Sending webhooks";

    // With no webhook registered, a change costs nothing here; a change to the register is always looked at.
    protected override bool WakesOn(AccessChange change) =>
        (_haveWebhooks && change.Kind != AccessChangeKind.WebhookDeliveryChanged) || change.Kind == AccessChangeKind.ApiClientsChanged;

    protected override async Task<DateTimeOffset?> RunOnceAsync(CancellationToken ct)
    {
        await using var lease = await leases.TryTakeAsync(nameof(WebhookDelivery), ct);
        if (lease is null)
        {
            logger.LogDebug("Sending webhooks: another console instance is sending; this one looks again shortly.");
            return Clock.GetUtcNow() + LeaseHeldRetry;
        }
        var pass = await sender.DeliverDueAsync(ct);
        _haveWebhooks = pass.Clients > 0;
        return pass.MoreWaiting ? DateTimeOffset.MinValue : pass.NextRetryAt;
    }
}
