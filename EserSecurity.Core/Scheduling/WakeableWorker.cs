using System.Threading.Channels;
using EserSecurity.Core.Changes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EserSecurity.Core.Scheduling;

/// <summary>
/// A background sender that works through an outbox in the database: a pass at start, then another when a change this
/// instance published concerns it, when the pass says more is due at a time, or after the poll interval at the latest
/// (for what other instances wrote). A worker that gathers (<see cref="GatherFor"/>) lets the changes of a burst
/// collect into one pass. A worker that yields (<see cref="YieldFor"/>) starts a pass only once the changes of others
/// pause, so its own reads and writes do not slow a burst of interactive work. The changes a pass publishes itself never
/// start another pass. The waits run on the injected clock, so tests move time with a fake one.
/// </summary>
public abstract class WakeableWorker(IAccessChangeFeed changes, TimeProvider clock, ILogger logger) : BackgroundService
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    // True in the worker's own flow, which the feed carries into the handlers of what a pass publishes.
    private readonly AsyncLocal<bool> _inWorker = new();

    // Changes that concern the worker since its last pass started.
    private int _gathered;

    // When the last change not published by a pass arrived (UTC ticks; zero before the first).
    private long _lastChangeTicks;

    // When the first change that concerns the worker since its last pass started arrived (UTC ticks).
    private long _firstGatheredTicks;

    /// <summary>
    /// Called once the worker has counted a change published by others (not by its own passes): tests move their clock
    /// only after it, so the worker is never left behind the changes it is meant to see.
    /// </summary>
    internal event Action<AccessChange>? Counted;

    /// <summary>The clock the worker waits on.</summary>
    protected TimeProvider Clock => clock;

    /// <summary>The longest wait between two passes.</summary>
    protected abstract TimeSpan PollInterval { get; }

    /// <summary>What a pass does, for the log line of a failed one ("sending webhooks").</summary>
    protected abstract string Doing { get; }

    /// <summary>
    /// The shortest time from one pass's start to the next pass a change starts: a change after a quiet spell starts a
    /// pass at once, and those that follow within this time wait for one pass together. Zero: every change starts a pass.
    /// </summary>
    protected virtual TimeSpan GatherFor => TimeSpan.Zero;

    /// <summary>How many changes end the gathering early: enough for a full pass.</summary>
    protected virtual int GatherUpTo => int.MaxValue;

    /// <summary>
    /// How long the changes published by others (decisions, imports, this and other instances) must pause before a pass
    /// starts: while they keep coming, the pass waits, for at most <see cref="YieldAtMost"/>. Zero: passes never wait.
    /// </summary>
    protected virtual TimeSpan YieldFor => TimeSpan.Zero;

    /// <summary>The longest a pass waits for such a pause; then it runs while the work goes on.</summary>
    protected virtual TimeSpan YieldAtMost => TimeSpan.Zero;

    /// <summary>Whether a published change starts a pass now.</summary>
    protected abstract bool WakesOn(AccessChange change);

    /// <summary>One pass. Returns when the next is due: <see cref="DateTimeOffset.MinValue"/> for at once, null for the poll interval.</summary>
    protected abstract Task<DateTimeOffset?> RunOnceAsync(CancellationToken ct);

    /// <summary>Whether the worker runs at all (for example, mail without a server); checked once at start.</summary>
    protected virtual bool Enabled => true;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }
        _inWorker.Value = true;
        using var subscription = changes.Subscribe(change =>
        {
            if (_inWorker.Value)
            {
                return Task.CompletedTask;
            }
            // The change's own time, as a pause is measured between changes, never later than now: another instance's
            // clock running ahead must not hold the passes back.
            var at = Math.Min(change.At.UtcTicks, clock.GetUtcNow().UtcTicks);
            if (at > Volatile.Read(ref _lastChangeTicks))
            {
                Volatile.Write(ref _lastChangeTicks, at);
            }
            if (WakesOn(change))
            {
                if (Interlocked.Increment(ref _gathered) == 1)
                {
                    Volatile.Write(ref _firstGatheredTicks, at);
                }
                _wake.Writer.TryWrite(true);
            }
            Counted?.Invoke(change);
            return Task.CompletedTask;
        });
        // When the next pass fell due: the yield's longest wait counts from then.
        var dueAt = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            await YieldAsync(dueAt, stoppingToken);
            var started = clock.GetUtcNow();
            Interlocked.Exchange(ref _gathered, 0);
            var wait = PollInterval;
            try
            {
                if (await RunOnceAsync(stoppingToken) is { } next)
                {
                    wait = TimeSpan.FromTicks(Math.Clamp(next == DateTimeOffset.MinValue ? 0 : (next - clock.GetUtcNow()).Ticks, 0, wait.Ticks));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "{Doing} failed; the next pass tries again.", Doing);
            }
            dueAt = wait > TimeSpan.Zero && await WaitAsync(wait, stoppingToken)
                ? await GatherAsync(started + GatherFor, stoppingToken)
                : clock.GetUtcNow();
            _wake.Reader.TryRead(out _);
        }
    }

    /// <summary>
    /// Waits until no change has arrived for <see cref="YieldFor"/>, or until <see cref="YieldAtMost"/> after the pass fell
    /// due (<paramref name="dueAt"/>) at the longest.
    /// </summary>
    private async Task YieldAsync(DateTimeOffset dueAt, CancellationToken stoppingToken)
    {
        if (YieldFor <= TimeSpan.Zero)
        {
            return;
        }
        var giveUpAt = dueAt + YieldAtMost;
        while (true)
        {
            var quietAt = new DateTimeOffset(Volatile.Read(ref _lastChangeTicks), TimeSpan.Zero) + YieldFor;
            var left = (quietAt < giveUpAt ? quietAt : giveUpAt) - clock.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return;
            }
            await Task.Delay(left, clock, stoppingToken);
        }
    }

    /// <summary>Waits for a change or for the time to pass; true when a change ended the wait.</summary>
    private async Task<bool> WaitAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var woken = _wake.Reader.WaitToReadAsync(timer.Token).AsTask();
        var first = await Task.WhenAny(woken, Task.Delay(wait, clock, timer.Token));
        await timer.CancelAsync();
        stoppingToken.ThrowIfCancellationRequested();
        return first == woken && woken.IsCompletedSuccessfully;
    }

    /// <summary>
    /// After a change: more changes collect until <paramref name="until"/>, or until a full pass's worth is waiting.
    /// Returns when the pass fell due: when a full pass's worth was waiting, else at <paramref name="until"/> or at the
    /// change that woke the worker, whichever came later (as the changes say, not when this thread got to run).
    /// </summary>
    private async Task<DateTimeOffset> GatherAsync(DateTimeOffset until, CancellationToken stoppingToken)
    {
        while (Volatile.Read(ref _gathered) < GatherUpTo && until - clock.GetUtcNow() is { Ticks: > 0 } left)
        {
            _wake.Reader.TryRead(out _);
            await WaitAsync(left, stoppingToken);
        }
        if (Volatile.Read(ref _gathered) >= GatherUpTo)
        {
            return clock.GetUtcNow();
        }
        var woken = new DateTimeOffset(Volatile.Read(ref _firstGatheredTicks), TimeSpan.Zero);
        return woken > until ? woken : until;
    }

    /// <summary>The wait after <paramref name="failures"/> failures in a row: <paramref name="first"/>, doubled after each further one, capped.</summary>
    public static TimeSpan Backoff(TimeSpan first, TimeSpan max, int failures)
    {
        var wait = first.Ticks * Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        return wait >= max.Ticks ? max : TimeSpan.FromTicks((long)wait);
    }
}
