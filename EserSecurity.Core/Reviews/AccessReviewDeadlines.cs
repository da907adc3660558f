using EserSecurity.Core.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Reviews;

/// <summary>
/// Reminds reviewers of reviews due within a week, and applies the due-date default to access reviews whose due date
/// has passed (telling the reviewers), at start and then every
/// <see cref="AccessReviewOptions.CheckInterval"/>. Reads of reviews check as well, so a page never shows a review past
/// its due date without its default.
/// </summary>
public sealed class AccessReviewDeadlines(
    AccessReviewService reviews, TimeProvider clock, JobLeases leases, IOptions<AccessReviewOptions> options, ILogger<AccessReviewDeadlines> logger)
    : PeriodicCheck(clock, leases, logger)
{
    protected override TimeSpan Interval => options.Value.CheckInterval;

    protected override string Doing => "Applying the access review due-date default";

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        foreach (var applied in await reviews.ApplyDueDefaultsAsync(ct))
        {
            logger.LogInformation("Access review {ReviewId}: due-date default {Default} applied to {Items} undecided items.",
                applied.ReviewId, applied.Default, applied.Items);
        }
        await reviews.RemindDueSoonAsync(ct);
    }
}
