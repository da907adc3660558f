using System.Collections.Concurrent;

namespace EserSecurity.Core.Imports;

/// <summary>
/// One import commit at a time per database: a commit holds SQLite's write lock while it checks and writes a whole
/// file, so a second one would only wait on the lock until its command timeout and then fail as busy. Commits queue
/// here instead and wait as long as it takes. The gate lives in this process (per connection string), which is enough
/// for the one console instance SQLite allows; several instances over a server database would need a lock in the
/// database itself.
/// </summary>
public sealed class ImportCommitGate(string database)
{
    private static readonly ConcurrentDictionary<string, Gate> Gates = new(StringComparer.Ordinal);

    private readonly Gate _gate = Gates.GetOrAdd(database, _ => new Gate(new SemaphoreSlim(1, 1)));

    /// <summary>Whether a commit runs now on this database, so that another one would wait.</summary>
    public bool IsHeld => _gate.Semaphore.CurrentCount == 0;

    /// <summary>How many commits are waiting for their turn.</summary>
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
        return new Turn(_gate.Semaphore);
    }

    /// <summary>A database's gate, kept for the life of the process.</summary>
    private sealed class Gate(SemaphoreSlim semaphore)
    {
        public SemaphoreSlim Semaphore { get; } = semaphore;

        public int Waiting;
    }

    private sealed class Turn(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
