using System.Diagnostics;
using EserSecurity.Core.DemoState;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Data;

/// <summary>Brings the database to the latest migration and, on an empty database, creates the configured demo state.</summary>
public sealed class DatabaseInitializer(
    IDbContextFactory<EserSecurityDbContext> dbFactory,
    IOptions<DatabaseOptions> options,
    DemoStateGenerator demoState,
    ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (db.Database.IsSqlite())
        {
            EnsureSqliteDirectory(db.Database.GetConnectionString());
        }
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
        {
            // WAL lets readers (every open dashboard) run while one writer commits.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }

        var size = Enum.TryParse<DemoStateSize>(options.Value.DemoState, ignoreCase: true, out var parsed)
            ? parsed
            : throw new InvalidOperationException(
                $"Database:DemoState is '{options.Value.DemoState}'; use None, Small or Full.");
        if (size != DemoStateSize.None && !await db.SchoolSystems.AnyAsync(ct))
        {
            await demoState.SeedAsync(db, size, ct);
            logger.LogInformation("Created the {Size} demo state in {Elapsed} ms", size, stopwatch.ElapsedMilliseconds);
        }
        logger.LogInformation("Database ready in {Elapsed} ms", stopwatch.ElapsedMilliseconds);
    }

    private static void EnsureSqliteDirectory(string? connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" || dataSource.Contains("Mode=Memory", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }
}
