using System.Diagnostics;
using EserSecurity.Benchmarks.Measurement;
using EserSecurity.Core.Data;
using EserSecurity.Core.Documents;
using EserSecurity.DemoState;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Benchmarks.Documents;

/// <summary>
/// One-pagers per second on one thread (both one-pagers of every school system of the Full demo state, read from the
/// database and rendered, one after another), and the authorized-user list of the school system with the most grants.
/// </summary>
internal sealed class DocumentBenchmark(BenchmarkOptions options)
{
    public async Task RunAsync(CancellationToken ct)
    {
        var databasePath = Path.Combine(Path.GetTempPath(), $"eser-bench-docs-{Guid.NewGuid():N}.db");
        try
        {
            await using var services = CoreServices.Over(databasePath, DemoStateSize.Full);
            await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
            var documents = services.GetRequiredService<DocumentService>();
            var admin = await services.CallerAsync(DemoPeople.StateAdmin, ct);
            await using var db = await services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync(ct);
            var schoolSystems = await db.SchoolSystems.OrderBy(s => s.Code).Select(s => s.Id).ToListAsync(ct);
            var largest = await db.AccessGrants.Where(g => g.EndedAt == null).GroupBy(g => g.SchoolSystemId)
                .OrderByDescending(g => g.Count()).Select(g => new { Id = g.Key, Grants = g.Count() }).FirstAsync(ct);

            // Warm-up: font resolution, EF query compilation and the JIT.
            await documents.CoordinatorSetupAsync(admin, schoolSystems[0], ct);
            await documents.GainingAccessAsync(admin, schoolSystems[0], ct);

            var perRound = new List<double>();
            var cpuPerDocument = new List<double>();
            var sizes = new List<long>();
            using var process = Process.GetCurrentProcess();
            for (var round = 0; round < options.Iterations; round++)
            {
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var stopwatch = Stopwatch.StartNew();
                foreach (var id in schoolSystems)
                {
                    sizes.Add((await documents.CoordinatorSetupAsync(admin, id, ct)).Content.Length);
                    sizes.Add((await documents.GainingAccessAsync(admin, id, ct)).Content.Length);
                }
                perRound.Add(schoolSystems.Count * 2 / stopwatch.Elapsed.TotalSeconds);
                process.Refresh();
                cpuPerDocument.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds / (schoolSystems.Count * 2));
            }

            // The ZIP reads every school system once and then only renders: the composition layer and PDFsharp alone.
            var zipRates = new List<double>();
            var zipCpuPerDocument = new List<double>();
            for (var round = 0; round < options.Iterations; round++)
            {
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var stopwatch = Stopwatch.StartNew();
                await documents.WriteOnePagersZipAsync(admin, Stream.Null, null, ct);
                zipRates.Add(schoolSystems.Count * 2 / stopwatch.Elapsed.TotalSeconds);
                process.Refresh();
                zipCpuPerDocument.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds / (schoolSystems.Count * 2));
            }

            var listTimes = new List<double>();
            var pages = 0L;
            for (var i = 0; i < Math.Max(3, options.Iterations); i++)
            {
                var stopwatch = Stopwatch.StartNew();
                var list = await documents.AuthorizedUserListPdfAsync(admin, largest.Id, ct);
                listTimes.Add(stopwatch.Elapsed.TotalMilliseconds);
                pages = list.Content.Length;
            }

            var table = new ResultTable("measure", "value");
            table.Add("one-pagers per round (both kinds, every school system)", ResultTable.Number(schoolSystems.Count * 2));
            table.Add("one-pagers per second, one thread: median of rounds", $"{perRound.Order().ElementAt(perRound.Count / 2):F0}");
            table.Add("one-pagers per second, one thread: slowest round", $"{perRound.Min():F0}");
            table.Add("one-pagers per second, one thread, rendering only (ZIP of all, read once): median", $"{zipRates.Order().ElementAt(zipRates.Count / 2):F0}");
            // CPU time counts the work alone: on a machine shared with other builds, wall time also counts the waits for a core.
            table.Add("process CPU ms per one-pager, each on its own: median of rounds", ResultTable.Ms(Percentiles.Of(cpuPerDocument).Median));
            table.Add("process CPU ms per one-pager, rendering only (ZIP): median of rounds", ResultTable.Ms(Percentiles.Of(zipCpuPerDocument).Median));
            table.Add("average one-pager size", $"{sizes.Average() / 1024:F1} KB");
            table.Add($"authorized-user list of the largest school system ({largest.Grants:N0} active grants): median", ResultTable.Ms(Percentiles.Of(listTimes).Median));
            table.Add("  p95", ResultTable.Ms(Percentiles.Of(listTimes).P95));
            table.Add("  size", $"{pages / 1024:N0} KB");
            Console.WriteLine(table);
            Console.WriteLine("Target: at least 200 one-pagers per second on one thread (each read from the database and rendered).");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(databasePath + suffix);
            }
        }
    }
}
