using EserSecurity.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Readiness;

/// <summary>
/// Readiness counts kept between reads. Every change that can move a readiness figure (a grant, a request, a signature,
/// a TAS import, an employment change) is an audited write, and every audited write moves the audit chain head's
/// sequence in its own transaction; so counts read at one sequence stay right until the sequence moves, and the audit
/// events after it say what moved (<see cref="ReadinessChangeScope"/>). The sequence is in the database, so a change
/// another process or instance committed is seen as surely as this process's own, and nothing waits for the change
/// feed's delivery.
/// </summary>
/// <remarks>
/// Each key keeps the counts of the newest sequence seen on the newest day seen. Reads that start at the same sequence
/// share one count (the first starts it, the others wait for it); the count of a newer sequence is handed the kept one
/// as <see cref="Earlier{T}"/>, so it can recount only what the changes since then moved. A count started at an older
/// sequence or day than the kept one is handed to its reader and not kept. A count is never cancelled by a reader going
/// away (others may be waiting for it), and a failed one is not kept nor handed on.
/// </remarks>
internal sealed class ReadinessFigureCache
{
    private readonly Lock _gate = new();
    private readonly Dictionary<object, Kept> _kept = [];

    /// <summary>Counts made earlier on the same day, at audit sequence <paramref name="Sequence"/>.</summary>
    public sealed record Earlier<T>(long Sequence, T Counts);

    private sealed record Kept(long Sequence, DateOnly Day, Task<object> Counts);

    /// <summary>The audit chain head's sequence: it moves with every committed audited change, and only then.</summary>
    public static Task<long> SequenceAsync(EserSecurityDbContext db, CancellationToken ct) =>
        db.AuditChainHeads.AsNoTracking().Select(h => h.LastSequence).SingleAsync(ct);

    /// <summary>
    /// The counts under <paramref name="key"/> made at <paramref name="sequence"/> on <paramref name="day"/>, or
    /// <paramref name="count"/>'s result when there are none yet; <paramref name="count"/> is handed the key's counts
    /// of an older sequence on the same day, if any. <paramref name="ct"/> ends only this caller's wait.
    /// </summary>
    public async Task<T> GetAsync<T>(long sequence, DateOnly day, object key, Func<Earlier<T>?, Task<T>> count, CancellationToken ct)
        where T : class
    {
        TaskCompletionSource<object>? owner = null;
        Kept? earlier = null;
        Task<object> result;
        lock (_gate)
        {
            _kept.TryGetValue(key, out var kept);
            if (kept is not null && kept.Day == day && kept.Sequence == sequence)
            {
                result = kept.Counts;
            }
            else
            {
                owner = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
                result = owner.Task;
                if (kept is null || kept.Day < day || (kept.Day == day && kept.Sequence < sequence))
                {
                    earlier = kept is not null && kept.Day == day ? kept : null;
                    _kept[key] = new Kept(sequence, day, result);
                }
            }
        }
        if (owner is not null)
        {
            _ = CountAsync(owner, key, earlier, count);
        }
        return (T)await result.WaitAsync(ct);
    }

    private async Task CountAsync<T>(TaskCompletionSource<object> owner, object key, Kept? earlier, Func<Earlier<T>?, Task<T>> count)
        where T : class
    {
        try
        {
            owner.SetResult(await count(await HandedOnAsync<T>(earlier)));
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                if (_kept.TryGetValue(key, out var kept) && kept.Counts == owner.Task)
                {
                    _kept.Remove(key);
                }
            }
            owner.SetException(ex);
        }
    }

    /// <summary>The earlier counts once made; none if they failed, so the next count starts from nothing.</summary>
    private static async Task<Earlier<T>?> HandedOnAsync<T>(Kept? earlier)
    {
        if (earlier is null)
        {
            return null;
        }
        try
        {
            return new Earlier<T>(earlier.Sequence, (T)await earlier.Counts);
        }
        catch (Exception)
        {
            return null;
        }
    }
}
