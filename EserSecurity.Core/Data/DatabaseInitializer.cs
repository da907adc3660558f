using System.Diagnostics;
using EserSecurity.Core.Administration;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Data;

/// <summary>
/// Brings the database to the latest migration, on an empty database creates the configured demo state, and then runs
/// the state administrator bootstrap (<see cref="StateAdministratorService.BootstrapAsync"/>).
/// </summary>
/// <param name="demoState">
/// The host's demo state generator; hosts that offer none (the console outside Development) leave it unregistered, and
/// then a configured demo state is refused rather than ignored.
/// </param>
public sealed class DatabaseInitializer(
    IDbContextFactory<EserSecurityDbContext> dbFactory,
    IOptions<DatabaseOptions> options,
    ILogger<DatabaseInitializer> logger,
    StateAdministratorService administrators,
    IDemoStateGenerator? demoState = null)
{
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var size = options.Value.RequestedDemoState();
        if (size != DemoStateSize.None && demoState is null)
        {
            throw new InvalidOperationException(
                $"{DatabaseOptions.SectionName}:{nameof(DatabaseOptions.DemoState)} is '{options.Value.DemoState}', but this host creates no demo state " +
                "(the console creates one only in Development): set it to None.");
        }
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

        if (demoState is not null && size != DemoStateSize.None && !await db.SchoolSystems.AnyAsync(ct))
        {
            await demoState.SeedAsync(db, size, ct);
            logger.LogInformation("Created the {Size} demo state in {Elapsed} ms", size, stopwatch.ElapsedMilliseconds);
        }
        await administrators.BootstrapAsync(ct);
        logger.LogInformation("Database ready in {Elapsed} ms", stopwatch.ElapsedMilliseconds);
    }

    /// <summary>
    /// The migrations this build knows and the database has not applied; empty when the schema is current. Throws when
    /// the database cannot be reached or read. The console's readiness check asks this on every probe.
    /// </summary>
    public async Task<IReadOnlyList<string>> PendingMigrationsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return [.. await db.Database.GetPendingMigrationsAsync(ct)];
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
