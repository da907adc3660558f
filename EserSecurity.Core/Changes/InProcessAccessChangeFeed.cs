using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace EserSecurity.Core.Changes;

/// <summary>The single-process change feed: a singleton that hands out disposable subscriptions.</summary>
public sealed class InProcessAccessChangeFeed(ILogger<InProcessAccessChangeFeed> logger, ConsoleMetrics metrics) : IAccessChangeFeed
{
    private ImmutableList<Subscription> _subscriptions = [];
    private long _version;

    public int SubscriberCount => _subscriptions.Count;

    public long Version => Interlocked.Read(ref _version);

    public void Publish(AccessChange change)
    {
        Interlocked.Increment(ref _version);
        // Each handler starts on the thread pool. Started inline, a handler runs synchronously up to its first real
        // await, and SQLite's "async" reads never yield: every open page would then refresh one after another on the
        // publisher's thread, holding up the person who made the change and leaving the other cores idle.
        var subscriptions = _subscriptions;
        if (subscriptions.IsEmpty)
        {
            return;
        }
        var fanOut = new FanOut(Stopwatch.GetTimestamp(), subscriptions.Count);
        foreach (var subscription in subscriptions)
        {
            _ = Task.Run(() => DeliverAsync(subscription, change, fanOut));
        }
    }

    public IDisposable Subscribe(Func<AccessChange, Task> handler)
    {
        var subscription = new Subscription(this, handler);
        ImmutableInterlocked.Update(ref _subscriptions, list => list.Add(subscription));
        return subscription;
    }

    private async Task DeliverAsync(Subscription subscription, AccessChange change, FanOut fanOut)
    {
        try
        {
            Task handled;
            try
            {
                handled = subscription.Handler(change);
            }
            finally
            {
                // Handed over: the fan-out ends when the last subscriber has its change, not when its page has rendered.
                if (Interlocked.Decrement(ref fanOut.Waiting) == 0)
                {
                    metrics.FannedOut(fanOut.StartedAt);
                }
            }
            await handled;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "A change subscriber failed on {Kind}", change.Kind);
        }
    }

    /// <summary>One published change on its way to the subscribers: when it started and how many have yet to get it.</summary>
    private sealed class FanOut(long startedAt, int subscribers)
    {
        public long StartedAt { get; } = startedAt;

        public int Waiting = subscribers;
    }

    private sealed class Subscription(InProcessAccessChangeFeed feed, Func<AccessChange, Task> handler) : IDisposable
    {
        public Func<AccessChange, Task> Handler { get; } = handler;

        public void Dispose() => ImmutableInterlocked.Update(ref feed._subscriptions, list => list.Remove(this));
    }
}
