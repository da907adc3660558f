using EserSecurity.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Benchmarks.Measurement;

/// <summary>
/// The SQLite files a state-scale benchmark works on: a temporary folder, a template seeded once and checkpointed, and
/// a fresh copy per round deleted with its write-ahead log once the round is done.
/// </summary>
internal static class ScratchDatabases
{
    /// <summary>Runs in a new temporary folder, then closes the pooled connections to its files and deletes it.</summary>
    public static async Task InTemporaryFolderAsync(string prefix, Func<string, Task> run)
    {
        var directory = Directory.CreateTempSubdirectory(prefix);
        try
        {
            await run(directory.FullName);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Moves the write-ahead log into the database file, so that copying the file alone copies the whole database.</summary>
    public static Task CheckpointAsync(EserSecurityDbContext db, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", ct);

    /// <summary>Closes the pooled connections and deletes a round's database with its write-ahead log and shared memory.</summary>
    public static void Delete(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }
    }
}
