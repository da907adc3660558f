using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EserSecurity.Core.Scheduling;

/// <summary>
/// Work the console does by itself when a day or a deadline arrives: once at start, then every <see cref="Interval"/> on
/// the injected clock (so tests move time with a fake one). A run that fails is logged and the next one tries again.
/// Every instance over the database keeps the schedule, and each pass first takes the check's lease
/// (<see cref="JobLeases"/>): while one instance runs a pass, another skips its own. What a pass does is recorded in the
/// database (a conditional update, a notice's key, a transition's key), so a pass that runs after another instance's
/// finds it done; a check whose every pass records a result says when it is due (<see cref="IsDueAsync"/>).
/// </summary>
public abstract class PeriodicCheck(TimeProvider clock, JobLeases leases, ILogger logger) : BackgroundService
{
    /// <summary>How long between two runs.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>What the check does, for the log line of a failed run ("applying the access review due-date default").</summary>
    protected abstract string Doing { get; }

    /// <summary>The name of the check's lease, the same on every instance.</summary>
    protected virtual string Job => GetType().FullName!;

    /// <summary>One run: applies whatever is due and logs what it did.</summary>
    protected abstract Task RunOnceAsync(CancellationToken ct);

    /// <summary>Whether a pass is due now, asked while the lease is held: by default always (the run finds what is due).</summary>
    protected virtual Task<bool> IsDueAsync(CancellationToken ct) => Task.FromResult(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await PassAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "{Doing} failed; the next check tries again.", Doing);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass under the check's lease; true when it ran, false when another instance had the lease or it was not due.</summary>
    internal async Task<bool> PassAsync(CancellationToken ct)
    {
        await using var lease = await leases.TryTakeAsync(Job, ct);
        if (lease is null)
        {
            logger.LogDebug("{Doing}: another console instance is running this check; this one skips the pass.", Doing);
            return false;
        }
        if (!await IsDueAsync(ct))
        {
            logger.LogDebug("{Doing}: another console instance ran this check lately; this one skips the pass.", Doing);
            return false;
        }
        await RunOnceAsync(ct);
        return true;
    }
}
