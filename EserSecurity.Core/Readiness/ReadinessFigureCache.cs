using EserSecurity.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Readiness;

/// <summary>
/// Readiness counts kept between reads while nothing was committed. Every change that can move a readiness figure (a
/// grant, a request, a signature, a TAS import, an employment change, a key date) is an audited write, and every
/// audited write moves the audit chain head's sequence in its own transaction; so counts read at one sequence stay
/// right until the sequence moves. The sequence is in the database, so a change another process or instance committed
/// is seen as surely as this process's own, and nothing waits for the change feed's delivery.
/// </summary>
/// <remarks>
/// Counts are only kept for the newest sequence seen; reads that start at the same sequence share one count (the
/// first starts it, the others wait for it). A count started at an older sequence than the newest seen is handed to its
/// reader and not kept. A count is never cancelled by a reader going away (others may be waiting for it), and a failed
/// one is not kept.
/// </remarks>
internal sealed class ReadinessFigureCache
{
    private readonly Lock _gate = new();
    private Dictionary<object, Task<object>> _counts = [];
    private long _sequence = -1;

    /// <summary>The audit chain head's sequence: it moves with every committed audited change, and only then.</summary>
    public static Task<long> SequenceAsync(EserSecurityDbContext db, CancellationToken ct) =>
        db.AuditChainHeads.AsNoTracking().Select(h => h.LastSequence).SingleAsync(ct);

    /// <summary>
    /// The counts under <paramref name="key"/> made at <paramref name="sequence"/>, or <paramref name="count"/>'s result
    /// when there are none yet. <paramref name="ct"/> ends only this caller's wait.
    /// </summary>
    public async Task<T> GetAsync<T>(long sequence, object key, Func<Task<T>> count, CancellationToken ct)
        where T : class
    {
        TaskCompletionSource<object>? owner = null;
        Task<object> result;
        lock (_gate)
        {
            if (sequence > _sequence)
            {
                _counts = [];
                _sequence = sequence;
            }
            if (sequence == _sequence && _counts.TryGetValue(key, out var kept))
            {
                result = kept;
            }
            else
            {
                owner = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
                result = owner.Task;
                if (sequence == _sequence)
                {
                    _counts[key] = result;
                }
            }
        }
        if (owner is not null)
        {
            _ = CountAsync(owner, key, count);
        }
        return (T)await result.WaitAsync(ct);
    }

    private async Task CountAsync<T>(TaskCompletionSource<object> owner, object key, Func<Task<T>> count)
        where T : class
    {
        try
        {
            owner.SetResult(await count());
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                if (_counts.TryGetValue(key, out var kept) && kept == owner.Task)
                {
                    _counts.Remove(key);
                }
            }
            owner.SetException(ex);
        }
    }
}
