using EserSecurity.Core.AccessRequests;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Changes;

/// <summary>
/// Lets identical reads share one trip to the database while nothing has changed. One published change refreshes
/// every open page it concerns at the same moment; pages that show the same thing (the same queue for people with the
/// same routing, one person's several tabs) would otherwise each run the same queries a few milliseconds apart.
/// </summary>
/// <remarks>
/// A shared result is only handed to reads that start at the same <see cref="IAccessChangeFeed.Version"/> as the read
/// that made it, and for at most the lifetime given (<see cref="QueueOptions.ShareReadsFor"/>): the feed's version
/// moves before a change is delivered, so a page refreshing for a change never receives a result read before it. The
/// lifetime bounds how stale a read can be after a change the feed did not carry (another process's), and keeps reads
/// with a time in them (age filters) current. A failed read is not shared with later ones.
/// </remarks>
public sealed class SharedReads(IAccessChangeFeed feed, TimeProvider clock, IOptions<QueueOptions> options)
{
    private readonly TimeSpan _lifetime = options.Value.ShareReadsFor;
    private readonly Lock _gate = new();
    private Dictionary<object, Shared> _shared = [];
    private long _version = -1;

    /// <summary>
    /// The result of <paramref name="read"/>, or of an identical read (equal <paramref name="key"/>) that another caller
    /// started since the last change. The read itself is not cancelled by <paramref name="ct"/>: others may be waiting.
    /// </summary>
    public async Task<T> GetAsync<T>(object key, Func<Task<T>> read, CancellationToken ct = default)
    {
        if (_lifetime <= TimeSpan.Zero)
        {
            return await read();
        }
        var now = clock.GetUtcNow();
        TaskCompletionSource<object>? owner = null;
        Task<object> result;
        lock (_gate)
        {
            // Read under the lock so the version seen here only ever moves forward.
            var version = feed.Version;
            if (version != _version)
            {
                _shared = [];
                _version = version;
            }
            if (_shared.TryGetValue(key, out var shared) && now - shared.At < _lifetime && now >= shared.At)
            {
                result = shared.Result;
            }
            else
            {
                owner = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
                _shared[key] = new Shared(owner.Task, now);
                result = owner.Task;
            }
        }
        if (owner is not null)
        {
            try
            {
                owner.SetResult((await read())!);
            }
            catch (Exception ex)
            {
                lock (_gate)
                {
                    if (_shared.TryGetValue(key, out var shared) && shared.Result == owner.Task)
                    {
                        _shared.Remove(key);
                    }
                }
                owner.SetException(ex);
            }
        }
        return (T)await result.WaitAsync(ct);
    }

    private sealed record Shared(Task<object> Result, DateTimeOffset At);
}
