using System.Diagnostics;
using EserSecurity.Benchmarks.Measurement;
using EserSecurity.Core.Data;
using EserSecurity.Core.Retention;
using EserSecurity.DemoState;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Benchmarks.Retention;

/// <summary>
/// The seven-year archive at state scale: the Full demo state under seven school years of ended history
/// (<see cref="ArchiveHistory"/>), the clock moved to July 2, 2033, when all seven years are due, and then, each round
/// on a fresh copy of the database and an empty archive folder, the archive run (rows per second, batches, file sizes,
/// peak working set) and the full verification of the archive files and the live chain afterwards.
/// </summary>
internal sealed class ArchiveBenchmark(BenchmarkOptions options)
{
    /// <summary>The day the benchmark archives on: every year of the history ended more than seven years before it.</summary>
    private static readonly DateTimeOffset ArchiveDay = new(2033, 7, 2, 3, 0, 0, TimeSpan.Zero);

    private sealed record Round(ArchiveRunResult Run, TimeSpan Archive, long PeakWorkingSet, ArchiveVerification Verification, TimeSpan Verify, long LiveLeft);

    public Task RunAsync(CancellationToken ct) => ScratchDatabases.InTemporaryFolderAsync("eser-bench-archive-", directory => RunInAsync(directory, ct));

    private async Task RunInAsync(string directory, CancellationToken ct)
    {
        var template = Path.Combine(directory, "full.db");
        var stopwatch = Stopwatch.StartNew();
        Console.WriteLine($"Creating the Full demo state in {template} ...");
        ArchiveHistory.Written written;
        await using (var services = CoreServices.Over(template, DemoStateSize.Full))
        {
            await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
            Console.WriteLine($"  created in {stopwatch.Elapsed.TotalSeconds:0.0} s; writing {ArchiveHistory.Years} school years of ended history ...");
            stopwatch.Restart();
            written = await ArchiveHistory.WriteAsync(services, ct);
            await using var db = await services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync(ct);
            await ScratchDatabases.CheckpointAsync(db, ct);
        }
        SqliteConnection.ClearAllPools();
        Console.WriteLine($"  written in {stopwatch.Elapsed.TotalSeconds:0.0} s: {written.Requests:N0} decided requests, {written.Steps:N0} steps, " +
            $"{written.Grants:N0} ended grants, {written.DecisionChanges:N0} decision changes, {written.Assignments:N0} ended coordinator assignments, " +
            $"{written.Signatures:N0} signatures, {written.AuditEvents:N0} audit events before the demo state's {written.DemoEvents:N0}; " +
            $"database {new FileInfo(template).Length / 1024.0 / 1024.0:N0} MB");

        for (var round = 1; round <= options.Rounds; round++)
        {
            var result = await RunRoundAsync(directory, template, round, ct);
            var run = result.Run;
            var bytes = run.Batches.Sum(b => b.FileBytes);
            var rows = run.Records + run.AuditEvents;
            Console.WriteLine($"  round {round}: archived {run.Records:N0} records and {run.AuditEvents:N0} audit events in {run.Batches.Count} batches " +
                $"in {result.Archive.TotalSeconds:0.0} s ({rows / result.Archive.TotalSeconds:N0} rows/s); files {bytes / 1024.0 / 1024.0:N1} MB " +
                $"(largest {run.Batches.Max(b => b.FileBytes) / 1024.0 / 1024.0:N1} MB); peak working set {result.PeakWorkingSet / 1024.0 / 1024.0:N0} MB");
            Console.WriteLine($"    per kind: {string.Join(", ", run.Batches.SelectMany(b => b.Counts).GroupBy(c => c.Key).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Sum(c => c.Value):N0}"))}");
            Console.WriteLine($"    full verification: {(result.Verification.IsIntact ? "intact" : "BROKEN: " + result.Verification.Problem)}, " +
                $"{result.Verification.BatchesChecked} batches, {result.Verification.ArchivedEventsChecked:N0} archived and {result.Verification.LiveEventsChecked:N0} live events " +
                $"in {result.Verify.TotalSeconds:0.0} s; {result.LiveLeft:N0} events left in the live log");
        }
    }

    private static async Task<Round> RunRoundAsync(string directory, string template, int round, CancellationToken ct)
    {
        var copy = Path.Combine(directory, $"round-{round}.db");
        var folder = Path.Combine(directory, $"archive-{round}");
        File.Copy(template, copy);
        File.Copy(CoreServices.ChainKeyFile(template), CoreServices.ChainKeyFile(copy));
        try
        {
            await using var services = CoreServices.Over(copy, DemoStateSize.None, s =>
            {
                s.AddSingleton<TimeProvider>(new FixedClock(ArchiveDay));
                s.Configure<RetentionOptions>(o => o.Folder = folder);
            });
            var archive = services.GetRequiredService<RetentionArchive>();
            var admin = await services.CallerAsync(DemoPeople.StateAdmin, ct);
            GC.Collect();
            using var peak = new PeakWorkingSet();
            var stopwatch = Stopwatch.StartNew();
            var run = await archive.RunAsync(ct);
            var archiveTime = stopwatch.Elapsed;
            var peakBytes = peak.Stop();
            stopwatch.Restart();
            var verification = await archive.VerifyArchiveAsync(admin, ct);
            var verifyTime = stopwatch.Elapsed;
            await using var db = await services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync(ct);
            var left = await db.AuditEvents.LongCountAsync(ct);
            return new Round(run, archiveTime, peakBytes, verification, verifyTime, left);
        }
        finally
        {
            ScratchDatabases.Delete(copy);
            File.Delete(CoreServices.ChainKeyFile(copy));
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>A clock that stands on one moment: the archive's cutoff is the same in every round.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>Samples the process's working set every 20 ms until stopped and keeps the largest.</summary>
    private sealed class PeakWorkingSet : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task<long> _sampling;

        public PeakWorkingSet() => _sampling = Task.Run(SampleAsync);

        private async Task<long> SampleAsync()
        {
            using var process = Process.GetCurrentProcess();
            long peak = 0;
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
            do
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
            }
            while (!_stop.IsCancellationRequested && await timer.WaitForNextTickAsync(CancellationToken.None));
            return peak;
        }

        public long Stop()
        {
            _stop.Cancel();
            return _sampling.GetAwaiter().GetResult();
        }

        public void Dispose() => _stop.Dispose();
    }
}
