using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace EserSecurity.Core.Changes;

/// <summary>
/// The change feed of several console instances over one PostgreSQL database. A change published here reaches this
/// instance's subscribers exactly as on the in-process feed, and <see cref="PostgresChangeTransport"/> sends it to the
/// other instances with <c>NOTIFY</c>; their changes arrive through the same local delivery, so
/// <see cref="Version"/> moves for them too.
/// </summary>
/// <remarks>
/// Publishing never waits for the network: a change for the other instances goes into a queue that the transport's
/// sender empties in batches. Until the transport runs (a command-line import, a test's container), the feed delivers
/// locally only. The queue keeps at most <see cref="OutgoingLimit"/> changes; past that, while the database cannot be
/// reached, the oldest are dropped and the other instances' own reconnection makes their pages reload.
/// </remarks>
public sealed class PostgresAccessChangeFeed : IAccessChangeFeed
{
    /// <summary>The most changes waiting for the sender.</summary>
    public const int OutgoingLimit = 10_000;

    private readonly InProcessAccessChangeFeed _local;
    private readonly ILogger<PostgresAccessChangeFeed> _logger;
    private readonly Channel<AccessChange> _outgoing;
    private volatile bool _sending;
    private int _dropped;

    public PostgresAccessChangeFeed(ILogger<InProcessAccessChangeFeed> localLogger, ILogger<PostgresAccessChangeFeed> logger, ConsoleMetrics metrics)
    {
        _local = new InProcessAccessChangeFeed(localLogger, metrics);
        _logger = logger;
        _outgoing = Channel.CreateBounded<AccessChange>(
            new BoundedChannelOptions(OutgoingLimit) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    /// <summary>This instance's id, carried by every change it sends, so that it can recognise and skip its own.</summary>
    public Guid InstanceId { get; } = Guid.NewGuid();

    public long Version => _local.Version;

    public void Publish(AccessChange change)
    {
        _local.Publish(change);
        if (_sending)
        {
            _outgoing.Writer.TryWrite(change);
        }
    }

    public IDisposable Subscribe(Func<AccessChange, Task> handler) => _local.Subscribe(handler);

    /// <summary>Changes waiting to be sent to the other instances; read by the transport's sender alone.</summary>
    internal ChannelReader<AccessChange> Outgoing => _outgoing.Reader;

    /// <summary>From now on, published changes are queued for the other instances.</summary>
    internal void StartSending() => _sending = true;

    internal void StopSending() => _sending = false;

    /// <summary>How many queued changes were dropped since the last call, because the queue was full.</summary>
    internal int TakeDropped() => Interlocked.Exchange(ref _dropped, 0);

    /// <summary>Delivers a change that another instance published, or the feed's own signal, to this instance's subscribers only.</summary>
    internal void DeliverHere(AccessChange change)
    {
        _logger.LogDebug("A change from another instance: {Kind}", change.Kind);
        _local.Publish(change);
    }
}
