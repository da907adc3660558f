using System.Collections.Concurrent;
using EserSecurity.Core.Scheduling;

namespace EserSecurity.Core.Imports;

/// <summary>
/// One import commit at a time per database, across every console instance over it: a commit checks and writes a whole
/// file in one write transaction, so a second one would only wait on the database's write lock until its command
/// timeout and then fail as busy. Commits queue here instead and wait as long as it takes: first in this process (per
/// connection string), then, on PostgreSQL, for the import lease (<see cref="JobLeases"/>) that commits on other
/// instances hold.
/// </summary>
public sealed class ImportCommitGate(string database, JobLeases leases)
{
    /// <summary>The lease every instance's import commits share: the TAS report, the staff and the school directory.</summary>
    internal const string LeaseName = "import-commit";

    private static readonly ConcurrentDictionary<string, Gate> Gates = new(StringComparer.Ordinal);

    private readonly Gate _gate = Gates.GetOrAdd(database, _ => new Gate(new SemaphoreSlim(1, 1)));

    /// <summary>Whether a commit runs now on this database from this instance, so that another one would wait.</summary>
    public bool IsHeld => _gate.Semaphore.CurrentCount == 0;

    /// <summary>
    /// Whether a commit started now would wait: one runs on this instance, or (on PostgreSQL) another instance holds the
    /// import lease. For telling the person before their commit starts; the answer may be stale a moment later.
    /// </summary>
    public async Task<bool> IsBusyAsync(CancellationToken ct = default)
    {
        if (IsHeld)
        {
            return true;
        }
        using var probe = await leases.TryTakeAsync(LeaseName, ct);
        return probe is null;
    }

    /// <summary>How many commits of this instance are waiting for their turn.</summary>
    public int Waiting => Volatile.Read(ref _gate.Waiting);

    /// <summary>Waits for this commit's turn; disposing the turn lets the next one in.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        Interlocked.Increment(ref _gate.Waiting);
        try
        {
            await _gate.Semaphore.WaitAsync(ct);
        }
        finally
        {
            Interlocked.Decrement(ref _gate.Waiting);
        }
        JobLease lease;
        try
        {
            lease = await leases.TakeAsync(LeaseName, ct);
        }
        catch
        {
            _gate.Semaphore.Release();
            throw;
        }
        return new Turn(_gate.Semaphore, lease);
    }

    /// <summary>A database's gate, kept for the life of the process.</summary>
    private sealed class Gate(SemaphoreSlim semaphore)
    {
        public SemaphoreSlim Semaphore { get; } = semaphore;

        public int Waiting;
    }

    private sealed class Turn(SemaphoreSlim semaphore, JobLease lease) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                lease.Dispose();
                semaphore.Release();
            }
        }
    }
}
