using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EserSecurity.Core.Security;

/// <summary>
/// Writes the refusals <see cref="SecurityEvents"/> queues to the audit log as they arrive, and what is still queued
/// when the console stops. A failed write is logged (the refusals were logged when they happened) and the next arrival
/// tries again.
/// </summary>
public sealed class SecurityEventWriter(SecurityEvents events, ILogger<SecurityEventWriter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await events.WaitForRefusalsAsync(stoppingToken))
            {
                await WriteAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await WriteAsync(cancellationToken);
    }

    private async Task WriteAsync(CancellationToken ct)
    {
        try
        {
            await events.WriteQueuedRefusalsAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Writing refusals to the audit log failed; they are in the security log (event {EventId}).", SecurityEventIds.ScopeRefused);
            // Wait a moment so a database that stays down does not turn every refusal into a tight retry loop.
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }
}
