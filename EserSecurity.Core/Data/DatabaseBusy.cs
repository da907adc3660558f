using Microsoft.Data.Sqlite;
using Npgsql;

namespace EserSecurity.Core.Data;

/// <summary>
/// The database stayed busy (another writer held its lock) for longer than a command waits
/// (<see cref="DatabaseOptions.CommandTimeout"/>). Nothing of the failed operation was written: its transaction is
/// rolled back, so trying again later is safe.
/// </summary>
public static class DatabaseBusy
{
    /// <summary>What the person is told.</summary>
    public const string Message = "The console is busy, try again. Nothing was changed; wait a moment and do it again.";

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// <summary>
    /// Whether the exception, or one it wraps, is the database reporting itself busy: SQLite busy or locked, or on
    /// PostgreSQL a lock not available, a statement cancelled by its timeout, or a command that timed out waiting.
    /// </summary>
    public static bool Is(Exception? exception) => exception switch
    {
        null => false,
        SqliteException sqlite => sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked,
        PostgresException postgres => postgres.SqlState is PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.QueryCanceled,
        NpgsqlException { InnerException: TimeoutException } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(Is),
        _ => Is(exception.InnerException),
    };
}
