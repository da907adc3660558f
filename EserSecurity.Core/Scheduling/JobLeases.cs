using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using EserSecurity.Core.Data;
using Npgsql;

namespace EserSecurity.Core.Scheduling;

/// <summary>
/// The right to run a job (a periodic check's pass, a webhook pass, an import commit) on one console instance at a time
/// across every instance over the database. On SQLite the console is one process by design, so a lease is always
/// granted. On PostgreSQL a lease is a session advisory lock on a key made from the job's name
/// (<c>pg_try_advisory_lock</c>), held on a connection of the lease's own, outside the pool, until the lease is
/// disposed: the lease releases the lock and closes the session; an instance that stops or loses the server loses the
/// session, and the server releases the lock with it.
/// </summary>
public sealed class JobLeases(DatabaseOptions database)
{
    private readonly DatabaseProvider _provider = database.DatabaseProvider();

    // Outside the pool: a pooled connection would keep its session, and the lock, after the lease ends.
    private readonly string _unpooled = database.DatabaseProvider() == DatabaseProvider.Postgres
        ? new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString
        : "";

    /// <summary>The lease on <paramref name="job"/> if no other holder has it now; null when another holds it.</summary>
    public async Task<JobLease?> TryTakeAsync(string job, CancellationToken ct)
    {
        if (_provider == DatabaseProvider.Sqlite)
        {
            return new JobLease(null, 0);
        }
        var key = KeyFor(job);
        var connection = await OpenAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", key);
            if (await command.ExecuteScalarAsync(ct) is true)
            {
                return new JobLease(connection, key);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    /// <summary>The lease on <paramref name="job"/>, waiting as long as another holder has it (until <paramref name="ct"/> ends the wait).</summary>
    public async Task<JobLease> TakeAsync(string job, CancellationToken ct)
    {
        if (_provider == DatabaseProvider.Sqlite)
        {
            return new JobLease(null, 0);
        }
        var key = KeyFor(job);
        var connection = await OpenAsync(ct);
        try
        {
            // The wait has no command timeout: a holder may take as long as its work takes; cancelling ends the wait.
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection) { CommandTimeout = 0 };
            command.Parameters.AddWithValue("key", key);
            await command.ExecuteNonQueryAsync(ct);
            return new JobLease(connection, key);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The advisory lock key of a job: the first eight bytes of the SHA-256 of its name, the same in every process (a
    /// string's own hash code differs from process to process).
    /// </summary>
    internal static long KeyFor(string job) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("EserSecurity job: " + job)));

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(_unpooled);
        try
        {
            await connection.OpenAsync(ct);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return connection;
    }
}

/// <summary>A held lease (see <see cref="JobLeases"/>); disposing it lets the next holder in.</summary>
public sealed class JobLease : IAsyncDisposable, IDisposable
{
    private readonly NpgsqlConnection? _connection;
    private readonly long _key;

    internal JobLease(NpgsqlConnection? connection, long key)
    {
        _connection = connection;
        _key = key;
    }

    // The lock is released by name before the session closes: the server ends a closed session, and its locks, only
    // after the client has gone, so the next holder could still find it held.
    public void Dispose()
    {
        if (_connection is null)
        {
            return;
        }
        try
        {
            using var command = Unlock(_connection);
            command.ExecuteNonQuery();
        }
        catch (NpgsqlException)
        {
            // A broken session: the server releases the lock when it ends it.
        }
        finally
        {
            _connection.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is null)
        {
            return;
        }
        try
        {
            await using var command = Unlock(_connection);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // A broken session: the server releases the lock when it ends it.
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }

    private NpgsqlCommand Unlock(NpgsqlConnection connection)
    {
        var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
        command.Parameters.AddWithValue("key", _key);
        return command;
    }
}
