using Npgsql;

namespace EserSecurity.Tests.Support;

/// <summary>What PostgreSQL's lock table says about a test database's advisory locks (the job leases).</summary>
internal static class ServerLocks
{
    /// <summary>How many sessions wait for an advisory lock on the test's database.</summary>
    public static async Task<long> WaitingAsync(TestDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Waits until <paramref name="count"/> sessions wait for an advisory lock on the test's database.</summary>
    public static async Task WaitForWaitingAsync(TestDatabase database, long count)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await WaitingAsync(database) != count)
        {
            patience.Token.ThrowIfCancellationRequested();
            await Task.Yield();
        }
    }
}
