namespace EserSecurity.Core.Provisioning;

/// <summary>How the console pushes the change feed to the webhooks API clients register (configuration section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>Changes in one delivery, at most (1 to <see cref="AccessDecisionService.MaxPageSize"/>).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How long a receiver has to answer one delivery before it counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait after the first failure; each further failure doubles it, up to <see cref="MaxRetryAfter"/>.</summary>
    public TimeSpan FirstRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How often the sender looks for work it was not told about: changes written by another console instance, and
    /// registrations changed there. Changes made in this instance are sent at once.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    internal bool IsValid =>
        BatchSize is >= 1 and <= AccessDecisionService.MaxPageSize
        && Timeout > TimeSpan.Zero && Timeout <= TimeSpan.FromMinutes(5)
        && FirstRetryAfter > TimeSpan.Zero && MaxRetryAfter >= FirstRetryAfter && MaxRetryAfter <= TimeSpan.FromDays(1)
        && PollInterval >= TimeSpan.FromSeconds(1) && PollInterval <= TimeSpan.FromHours(1);

    internal const string Rule =
        "Webhooks: BatchSize is 1 to 1000; Timeout is up to 5 minutes; FirstRetryAfter is positive and MaxRetryAfter from it up to a day; PollInterval is 1 second to 1 hour.";

    /// <summary>The wait before the next attempt after <paramref name="failures"/> failures in a row.</summary>
    public TimeSpan RetryAfter(int failures) => Scheduling.WakeableWorker.Backoff(FirstRetryAfter, MaxRetryAfter, failures);
}
