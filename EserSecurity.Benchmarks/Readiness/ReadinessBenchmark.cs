using System.Diagnostics;
using EserSecurity.Benchmarks.Import;
using EserSecurity.Benchmarks.Measurement;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Readiness;
using EserSecurity.Core.Tas;
using EserSecurity.DemoState;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Benchmarks.Readiness;

/// <summary>
/// The readiness board over grown TAS data: the Full demo state, a generated TAS User Report committed once through
/// <see cref="TasImportService"/> until the state records <see cref="BenchmarkOptions.Rows"/> TAS rows, then the
/// statewide board and the largest school system's board, each read after a change that moves its figures (what a live
/// board does on every relevant change) and read again with nothing changed.
/// </summary>
internal sealed class ReadinessBenchmark(BenchmarkOptions options)
{
    private const double TargetMs = 25;

    public Task RunAsync(CancellationToken ct) => ScratchDatabases.InTemporaryFolderAsync("eser-bench-readiness-", directory => RunInAsync(directory, ct));

    private async Task RunInAsync(string directory, CancellationToken ct)
    {
        var path = Path.Combine(directory, "readiness.db");
        var stopwatch = Stopwatch.StartNew();
        Console.WriteLine($"Creating the Full demo state in {path} ...");
        await using var services = CoreServices.Over(path, DemoStateSize.Full);
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
        Console.WriteLine($"  created in {stopwatch.Elapsed.TotalSeconds:0.0} s");

        var factory = services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>();
        var admin = await services.CallerAsync(DemoPeople.StateAdmin, ct);
        int before, after, largest, largestRows;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            before = await db.LegacySerAccess.CountAsync(ct);
            if (before < options.Rows)
            {
                stopwatch.Restart();
                var file = await UserReportGenerator.GenerateAsync(db, options.Rows - before, ct);
                var result = await services.GetRequiredService<TasImportService>().CommitAsync(admin, new MemoryStream(file), null, ct);
                Console.WriteLine($"  imported a User Report of {result.Added:N0} new rows in {stopwatch.Elapsed.TotalSeconds:0.0} s");
            }
            after = await db.LegacySerAccess.CountAsync(ct);
            var biggest = await db.LegacySerAccess.GroupBy(l => l.SchoolSystemId).OrderByDescending(g => g.Count())
                .Select(g => new { g.Key, Rows = g.Count() }).FirstAsync(ct);
            (largest, largestRows) = (biggest.Key, biggest.Rows);
            await db.Database.ExecuteSqlRawAsync("PRAGMA optimize;", ct);
        }

        var readiness = services.GetRequiredService<ReadinessService>();
        var feed = services.GetRequiredService<IAccessChangeFeed>();
        // A grant created in the largest school system moves its figures and the statewide board's, as a coordinator's
        // approval does; published as the service that committed it would, so every reader hears of it.
        var moved = new AccessChange(AccessChangeKind.GrantCreated, largest, null, null, admin.StaffMemberId, DateTimeOffset.UtcNow);
        var statewideChange = new AccessChange(AccessChangeKind.KeyDatesChanged, null, null, null, admin.StaffMemberId, DateTimeOffset.UtcNow);
        var scenarios = new (string Name, Func<Task> Read, AccessChange Change)[]
        {
            ("board: every school system (state administrator)", () => readiness.GetBoardAsync(admin, ct: ct), moved),
            ("board: every school system, after a statewide change", () => readiness.GetBoardAsync(admin, ct: ct), statewideChange),
            ($"one school system's schools (the largest, {largestRows:N0} TAS rows)", () => readiness.GetSchoolSystemAsync(admin, largest, ct: ct), moved),
        };

        var table = new ResultTable("readiness read", "reads", "p50 ms", "p95 ms", "max ms");
        foreach (var (name, read, change) in scenarios)
        {
            await read();
            var afterChange = new List<double>();
            var unchanged = new List<double>();
            for (var i = 0; i < options.Rounds; i++)
            {
                feed.Publish(change);
                afterChange.Add(await TimeAsync(read));
                unchanged.Add(await TimeAsync(read));
            }
            var changed = Percentiles.Of(afterChange);
            var same = Percentiles.Of(unchanged);
            table.Add(name, "", "", "", "");
            table.Add("  right after a change that moves its figures", ResultTable.Number(changed.Count), ResultTable.Ms(changed.Median),
                ResultTable.Ms(changed.P95), ResultTable.Ms(changed.Max));
            table.Add("  again, nothing changed", ResultTable.Number(same.Count), ResultTable.Ms(same.Median), ResultTable.Ms(same.P95),
                ResultTable.Ms(same.Max));
        }
        Console.WriteLine();
        Console.WriteLine($"Readiness over the Full demo state grown to {after:N0} TAS rows ({before:N0} before), {options.Rounds} rounds:");
        Console.Write(table);
        Console.WriteLine($"Target: the statewide board at most {TargetMs:0} ms p50 at 120,000 TAS rows.");
    }

    private static async Task<double> TimeAsync(Func<Task> read)
    {
        var started = Stopwatch.GetTimestamp();
        await read();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
}
