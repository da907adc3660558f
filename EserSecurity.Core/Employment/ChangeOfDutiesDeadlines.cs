using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Employment;

/// <summary>
/// Applies the change-of-duties default to items past their deadline: once at start and then every
/// <see cref="ChangeOfDutiesOptions.CheckEvery"/> on the injected clock. Reading the list applies it too, so a page
/// never offers an item whose time is up.
/// </summary>
public sealed class ChangeOfDutiesDeadlines(
    ChangeOfDutiesService service, TimeProvider clock, IOptions<ChangeOfDutiesOptions> options, ILogger<ChangeOfDutiesDeadlines> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckEvery, clock);
        do
        {
            try
            {
                var applied = await service.ApplyDueDefaultsAsync(stoppingToken);
                if (applied > 0)
                {
                    logger.LogInformation("Change of duties: the default applied to {Count} items past their deadline.", applied);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Change of duties: applying the default at the deadline failed; the next check tries again.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
