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
    private const int SweepAbove = 256;

    private readonly TimeSpan _lifetime = options.Value.ShareReadsFor;
    private readonly Lock _gate = new();
    private Dictionary<object, Shared> _shared = [];
    private long _version = -1;

    /// <summary>
    /// The result of <paramref name="read"/>, or of an identical read (equal <paramref name="key"/>) that another caller
    /// started since the last change. <paramref name="ct"/> ends only this caller's wait, never the read: others may be
    /// waiting for it.
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
            if (_shared.TryGetValue(key, out var shared) && IsCurrent(shared, now))
            {
                result = shared.Result;
            }
            else
            {
                if (_shared.Count >= SweepAbove)
                {
                    // A quiet spell with many different searches would otherwise keep every result until the next change.
                    foreach (var expired in _shared.Where(s => !IsCurrent(s.Value, now)).Select(s => s.Key).ToList())
                    {
                        _shared.Remove(expired);
                    }
                }
                owner = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
                _shared[key] = new Shared(owner.Task, now);
                result = owner.Task;
            }
        }
        if (owner is not null)
        {
            // Runs on this caller's thread up to the read's first real await, as an unshared read would.
            _ = ReadAsync(owner, key, read);
        }
        return (T)await result.WaitAsync(ct);
    }

    private bool IsCurrent(Shared shared, DateTimeOffset now) => now - shared.At < _lifetime && now >= shared.At;

    private async Task ReadAsync<T>(TaskCompletionSource<object> owner, object key, Func<Task<T>> read)
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
            if (ex is OperationCanceledException cancelled)
            {
                owner.SetCanceled(cancelled.CancellationToken);
            }
            else
            {
                owner.SetException(ex);
            }
        }
    }

    private sealed record Shared(Task<object> Result, DateTimeOffset At);
}
