using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EserSecurity.Core.Scheduling;

/// <summary>
/// Work the console does by itself when a day or a deadline arrives: once at start, then every <see cref="Interval"/> on
/// the injected clock (so tests move time with a fake one). A run that fails is logged and the next one tries again.
/// </summary>
public abstract class PeriodicCheck(TimeProvider clock, ILogger logger) : BackgroundService
{
    /// <summary>How long between two runs.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>What the check does, for the log line of a failed run ("applying the access review due-date default").</summary>
    protected abstract string Doing { get; }

    /// <summary>One run: applies whatever is due and logs what it did.</summary>
    protected abstract Task RunOnceAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "{Doing} failed; the next check tries again.", Doing);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
