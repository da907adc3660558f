using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace EserSecurity.Core.Changes;

/// <summary>The single-process change feed: a singleton that hands out disposable subscriptions.</summary>
public sealed class InProcessAccessChangeFeed(ILogger<InProcessAccessChangeFeed> logger) : IAccessChangeFeed
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
        foreach (var subscription in _subscriptions)
        {
            _ = Task.Run(() => DeliverAsync(subscription, change));
        }
    }

    public IDisposable Subscribe(Func<AccessChange, Task> handler)
    {
        var subscription = new Subscription(this, handler);
        ImmutableInterlocked.Update(ref _subscriptions, list => list.Add(subscription));
        return subscription;
    }

    private async Task DeliverAsync(Subscription subscription, AccessChange change)
    {
        try
        {
            await subscription.Handler(change);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "A change subscriber failed on {Kind}", change.Kind);
        }
    }

    private sealed class Subscription(InProcessAccessChangeFeed feed, Func<AccessChange, Task> handler) : IDisposable
    {
        public Func<AccessChange, Task> Handler { get; } = handler;

        public void Dispose() => ImmutableInterlocked.Update(ref feed._subscriptions, list => list.Remove(this));
    }
}
