using System.Diagnostics;
using System.Globalization;
using EserSecurity.Benchmarks.Measurement;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Benchmarks.Audit;

/// <summary>
/// Verifying a long audit chain: a temporary database filled with chained, keyed events in bulk (Core's own hash and
/// row inserter, in batches, with the head set at the end), then the whole chain walked by the audit log's verification,
/// each round timed, with the peak working set and managed heap sampled while it runs.
/// </summary>
internal sealed class AuditVerifyBenchmark(BenchmarkOptions options)
{
    private const int Batch = 50_000;

    public async Task RunAsync(CancellationToken ct)
    {
        await ScratchDatabases.InTemporaryFolderAsync("eser-bench-audit", async folder =>
        {
            var path = Path.Combine(folder, "audit.db");
            await using var services = CoreServices.Over(path, DemoStateSize.None);
            await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
            var factory = services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>();

            var filling = Stopwatch.StartNew();
            await FillAsync(factory, services.GetRequiredService<AuditChainKey>(), options.Rows, ct);
            filling.Stop();
            Console.WriteLine($"Wrote {ResultTable.Number(options.Rows)} chained keyed events in {ResultTable.Seconds(filling.Elapsed)} s " +
                $"(database {new FileInfo(path).Length / 1_048_576.0:F0} MB).");

            var audit = services.GetRequiredService<AuditLog>();
            var table = new ResultTable("round", "events", "intact", "seconds", "CPU seconds", "events per second", "peak working set MB", "peak managed heap MB", "allocated MB");
            for (var round = 0; round < options.Rounds; round++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                using var sampler = MemorySampler.Start();
                var stopwatch = Stopwatch.StartNew();
                var result = (await audit.VerifySnapshotAsync(ct)).Result;
                stopwatch.Stop();
                var (workingSet, managed) = await sampler.StopAsync();
                var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
                var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
                table.Add($"{round + 1}", ResultTable.Number(checked((int)result.EventsChecked)), result.IsIntact ? "yes" : "NO: " + result.Problem,
                    ResultTable.Seconds(stopwatch.Elapsed), ResultTable.Seconds(cpu), ResultTable.Rate(result.EventsChecked / stopwatch.Elapsed.TotalSeconds),
                    Mb(workingSet), Mb(managed), Mb(allocated));
            }
            Console.WriteLine(table);
            var reading = Stopwatch.StartNew();
            var read = await ReadAllAsync(factory, ct);
            reading.Stop();
            Console.WriteLine($"The floor, reading the same rows through EF alone without checking them: {ResultTable.Number(read)} events in " +
                $"{ResultTable.Seconds(reading.Elapsed)} s ({ResultTable.Rate(read / reading.Elapsed.TotalSeconds)} per second).");
            Console.WriteLine("CPU seconds are the whole process's during the walk (the sampler's share is small): on a busy machine they show the " +
                "work where the wall time shows the wait for a core.");
            Console.WriteLine($"Peaks are sampled every {MemorySampler.Interval.TotalMilliseconds:F0} ms during each verification. The whole process's peak " +
                $"working set, filling included: {Mb(Process.GetCurrentProcess().PeakWorkingSet64)} MB.");
        });
    }

    /// <summary>Reads every event in chain order as the verification's query does, checking nothing.</summary>
    private static async Task<int> ReadAllAsync(IDbContextFactory<EserSecurityDbContext> factory, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var count = 0;
        await foreach (var _ in db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(ct))
        {
            count++;
        }
        return count;
    }

    private static string Mb(long bytes) => (bytes / 1_048_576.0).ToString("F0", CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes the chain as the audit log would, in batches of <see cref="Batch"/> per transaction, through Core's row
    /// inserter: events of a few kinds with before and after states of a realistic size, a second apart.
    /// </summary>
    private static async Task FillAsync(IDbContextFactory<EserSecurityDbContext> factory, AuditChainKey key, int events, CancellationToken ct)
    {
        var start = new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);
        var previous = AuditLog.GenesisHash;
        var batch = new List<AuditEvent>(Batch);
        for (long sequence = 1; sequence <= events; sequence++)
        {
            var person = (int)(sequence % 40_000) + 1;
            var audit = new AuditEvent
            {
                Sequence = sequence,
                At = start.AddSeconds(sequence),
                ActorId = sequence % 10 == 0 ? null : person,
                ActorName = sequence % 10 == 0 ? AuditLog.SystemActorName : $"Benchmark Person {person}",
                Action = (sequence % 3) switch { 0 => "AccessGrant.Ended", 1 => "AccessRequest.Approved", _ => "StaffMember.Updated" },
                EntityType = (sequence % 3) switch { 0 => "AccessGrant", 1 => "AccessRequest", _ => "StaffMember" },
                EntityId = sequence.ToString(CultureInfo.InvariantCulture),
                SchoolSystemId = (int)(sequence % 70) + 1,
                Before = $$"""{"Status":"Active","SchoolId":{{sequence % 1_500}},"RoleId":{{sequence % 40}},"EndsOn":null}""",
                After = $$"""{"Status":"Ended","SchoolId":{{sequence % 1_500}},"RoleId":{{sequence % 40}},"Reason":"Duties changed.","EndedOn":"2026-06-30"}""",
                PreviousHash = previous,
                Hash = "",
                Keyed = true,
            };
            audit.Hash = AuditLog.ComputeHash(audit, key);
            previous = audit.Hash;
            batch.Add(audit);
            if (batch.Count == Batch || sequence == events)
            {
                await using var db = await factory.CreateDbContextAsync(ct);
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                await RowInserter.InsertAsync(db, batch, keysFromStore: false, null, ct);
                if (sequence == events)
                {
                    await db.AuditChainHeads.Where(h => h.Id == AuditChainHead.SingletonId)
                        .ExecuteUpdateAsync(s => s.SetProperty(h => h.LastSequence, sequence).SetProperty(h => h.LastHash, previous), ct);
                }
                await transaction.CommitAsync(ct);
                batch.Clear();
            }
        }
        await using var checkpoint = await factory.CreateDbContextAsync(ct);
        await ScratchDatabases.CheckpointAsync(checkpoint, ct);
    }

    /// <summary>Samples the process's working set and managed heap on a timer until stopped, keeping the highest of each.</summary>
    private sealed class MemorySampler : IDisposable
    {
        public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

        private readonly CancellationTokenSource _stop = new();
        private readonly Task<(long WorkingSet, long Managed)> _sampling;

        private MemorySampler() => _sampling = Task.Run(SampleAsync);

        public static MemorySampler Start() => new();

        public async Task<(long WorkingSet, long Managed)> StopAsync()
        {
            await _stop.CancelAsync();
            return await _sampling;
        }

        private async Task<(long, long)> SampleAsync()
        {
            long workingSet = 0, managed = 0;
            using var timer = new PeriodicTimer(Interval);
            do
            {
                workingSet = Math.Max(workingSet, Environment.WorkingSet);
                managed = Math.Max(managed, GC.GetTotalMemory(forceFullCollection: false));
            }
            while (await Wait(timer));
            return (workingSet, managed);
        }

        private async Task<bool> Wait(PeriodicTimer timer)
        {
            try
            {
                return await timer.WaitForNextTickAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        public void Dispose() => _stop.Dispose();
    }
}
