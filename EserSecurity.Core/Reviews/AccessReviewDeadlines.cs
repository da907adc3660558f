using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Reviews;

/// <summary>
/// Applies the due-date default to access reviews whose due date has passed, at start and then every
/// <see cref="AccessReviewOptions.CheckInterval"/> on the injected clock. Reads of reviews check as well, so a page never
/// shows a review past its due date without its default.
/// </summary>
public sealed class AccessReviewDeadlines(
    AccessReviewService reviews, TimeProvider clock, IOptions<AccessReviewOptions> options, ILogger<AccessReviewDeadlines> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckInterval, clock);
        do
        {
            try
            {
                foreach (var applied in await reviews.ApplyDueDefaultsAsync(stoppingToken))
                {
                    logger.LogInformation("Access review {ReviewId}: due-date default {Default} applied to {Items} undecided items.",
                        applied.ReviewId, applied.Default, applied.Items);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Applying the access review due-date default failed; the next check tries again.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
