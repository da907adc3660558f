using EserSecurity.Core.Changes;
using EserSecurity.Core.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Provisioning;

/// <summary>
/// Runs <see cref="WebhookSender"/>: at start, whenever this instance publishes a change while some client has a webhook,
/// when a failed delivery's retry falls due, and every <see cref="WebhookOptions.PollInterval"/> for what other instances wrote.
/// </summary>
public sealed class WebhookDelivery(
    WebhookSender sender, IAccessChangeFeed changes, TimeProvider clock, IOptions<WebhookOptions> options, ILogger<WebhookDelivery> logger)
    : WakeableWorker(changes, clock, logger)
{
    private volatile bool _haveWebhooks = true;

    protected override TimeSpan PollInterval => options.Value.PollInterval;

    protected override string Doing => "Sending webhooks";

    // With no webhook registered, a change costs nothing here; a change to the register is always looked at.
    protected override bool WakesOn(AccessChange change) =>
        (_haveWebhooks && change.Kind != AccessChangeKind.WebhookDeliveryChanged) || change.Kind == AccessChangeKind.ApiClientsChanged;

    protected override async Task<DateTimeOffset?> RunOnceAsync(CancellationToken ct)
    {
        var pass = await sender.DeliverDueAsync(ct);
        _haveWebhooks = pass.Clients > 0;
        return pass.MoreWaiting ? DateTimeOffset.MinValue : pass.NextRetryAt;
    }
}
