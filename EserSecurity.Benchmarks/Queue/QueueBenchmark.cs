using System.Diagnostics;
using EserSecurity.Benchmarks.Measurement;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Data;
using EserSecurity.Core.Security;
using EserSecurity.DemoState;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Benchmarks.Queue;

/// <summary>
/// Server time of the approval queue at state scale: the Full demo state topped up to 5,000 requests waiting for the
/// demo district coordinator and 50,000 pending statewide, each queue read timed against a bare count of the same rows.
/// </summary>
internal sealed class QueueBenchmark(BenchmarkOptions options)
{
    public async Task RunAsync(CancellationToken ct)
    {
        var directory = Directory.CreateTempSubdirectory("eser-bench-queue-");
        try
        {
            await RunInAsync(Path.Combine(directory.FullName, "queue.db"), ct);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private async Task RunInAsync(string databasePath, CancellationToken ct)
    {
        await using var services = CoreServices.Over(databasePath, DemoStateSize.Full);
        Console.WriteLine($"Creating the Full demo state in {databasePath} ...");
        var stopwatch = Stopwatch.StartNew();
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
        Console.WriteLine($"  created in {stopwatch.Elapsed.TotalSeconds:0.0} s");

        var district = await services.CallerAsync(DemoPeople.DistrictCoordinator, ct);
        var local = await services.CallerAsync(DemoPeople.LocalCoordinator, ct);
        var scopes = services.GetRequiredService<ScopeService>();
        var districtScope = await scopes.GetScopeAsync(district, ct);
        var localScope = await scopes.GetScopeAsync(local, ct);
        var schoolSystemId = districtScope.DistrictSchoolSystemIds.Single();
        var dbFactory = services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>();

        var topUp = await PendingTopUp.RunAsync(dbFactory, schoolSystemId, services.GetRequiredService<TimeProvider>(), ct);
        Console.WriteLine($"  topped up with {topUp.AddedInSchoolSystem:N0} pending requests in the demo school system and " +
            $"{topUp.AddedElsewhere:N0} elsewhere ({topUp.Duplicates:N0} repeating a person, role and school) in {topUp.Elapsed.TotalSeconds:0.0} s");

        await using var connection = new SqliteConnection(CoreServices.ConnectionString(databasePath));
        await connection.OpenAsync(ct);
        using var districtCount = RoutedPendingCount.Prepare(connection, districtScope);
        using var localCount = RoutedPendingCount.Prepare(connection, localScope);
        await PrintScaleAsync(dbFactory, districtCount, localCount, ct);

        // The top-up's garbage is not the queue's: collect it before the first timed read.
        GC.Collect();
        var queue = services.GetRequiredService<ApprovalQueue>();
        var waiting = new QueueQuery(Stage: QueueStage.PendingCoordinator, Page: 0, PageSize: 25);
        var oldest = (await queue.GetCoordinatorQueueAsync(district, waiting, ct)).Items[0];
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var lastName = await db.StaffMembers.Where(s => s.Id == oldest.RequesterId).Select(s => s.LastName).SingleAsync(ct);
            var scenarios = new List<Scenario>
            {
                new($"{DemoPeople.DistrictCoordinator}: first page, oldest first", district, waiting, districtCount),
                new($"{DemoPeople.DistrictCoordinator}: first page, both pending stages", district, new QueueQuery(Page: 0, PageSize: 25), districtCount),
                new($"{DemoPeople.DistrictCoordinator}: search last name \"{lastName}\"", district, waiting with { Search = lastName }, districtCount),
                new($"{DemoPeople.DistrictCoordinator}: search Staff ID {oldest.StaffId}", district, waiting with { Search = oldest.StaffId }, districtCount),
                new($"{DemoPeople.DistrictCoordinator}: page 100 (rows 2,501-2,525)", district, waiting with { Page = 100 }, districtCount),
                new($"{DemoPeople.LocalCoordinator}: first page, oldest first", local, waiting, localCount),
            };
            await MeasureAsync(queue, scenarios, ct);
        }
    }

    private static async Task PrintScaleAsync(
        IDbContextFactory<EserSecurityDbContext> dbFactory, RoutedPendingCount districtCount, RoutedPendingCount localCount, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var statewide = await db.AccessRequests.GroupBy(r => r.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(ct);
        int Count(AccessRequestStatus status) => statewide.SingleOrDefault(s => s.Status == status)?.Count ?? 0;
        var pending = Count(AccessRequestStatus.PendingCoordinator) + Count(AccessRequestStatus.PendingSupervisor);
        var routedToDistrict = await districtCount.CountAsync(ct);
        if (routedToDistrict != PendingTopUp.SchoolSystemPending || pending != PendingTopUp.StatewidePending)
        {
            throw new InvalidOperationException(
                $"The top-up missed its targets: {routedToDistrict:N0} routed to {DemoPeople.DistrictCoordinator}, {pending:N0} pending statewide.");
        }

        var scale = new ResultTable("rows", "count");
        scale.Add($"waiting for a coordinator, routed to {DemoPeople.DistrictCoordinator} (demo school system)", ResultTable.Number(routedToDistrict));
        scale.Add($"waiting for a coordinator, routed to {DemoPeople.LocalCoordinator} (Northside group)", ResultTable.Number(await localCount.CountAsync(ct)));
        scale.Add("pending statewide (both stages)", ResultTable.Number(pending));
        scale.Add("  of which waiting for a coordinator", ResultTable.Number(Count(AccessRequestStatus.PendingCoordinator)));
        scale.Add("  of which waiting for a supervisor", ResultTable.Number(Count(AccessRequestStatus.PendingSupervisor)));
        scale.Add("access requests in all", ResultTable.Number(statewide.Sum(s => s.Count)));
        scale.Add("staff members", ResultTable.Number(await db.StaffMembers.CountAsync(ct)));
        Console.WriteLine();
        Console.Write(scale);
    }

    private async Task MeasureAsync(ApprovalQueue queue, IReadOnlyList<Scenario> scenarios, CancellationToken ct)
    {
        var table = new ResultTable("scenario", "matched", "rows", "queue p50", "queue p95", "count p50", "count p95", "ratio p50", "ratio p95");
        foreach (var scenario in scenarios)
        {
            var queueTimes = new List<double>(options.Iterations);
            var countTimes = new List<double>(options.Iterations);
            PagedResult<QueueRow>? page = null;
            for (var i = 0; i < options.Warmups + options.Iterations; i++)
            {
                var started = Stopwatch.GetTimestamp();
                page = await queue.GetCoordinatorQueueAsync(scenario.Caller, scenario.Query, ct);
                var queueTime = Stopwatch.GetElapsedTime(started);
                started = Stopwatch.GetTimestamp();
                await scenario.Baseline.CountAsync(ct);
                var countTime = Stopwatch.GetElapsedTime(started);
                if (i >= options.Warmups)
                {
                    queueTimes.Add(queueTime.TotalMilliseconds);
                    countTimes.Add(countTime.TotalMilliseconds);
                }
            }
            if (page is null || page.Items.Count == 0)
            {
                throw new InvalidOperationException($"\"{scenario.Name}\" returned no rows; the benchmark would measure an empty page.");
            }
            var q = Percentiles.Of(queueTimes);
            var c = Percentiles.Of(countTimes);
            table.Add(scenario.Name, ResultTable.Number(page.TotalCount), ResultTable.Number(page.Items.Count),
                ResultTable.Ms(q.Median), ResultTable.Ms(q.P95), ResultTable.Ms(c.Median), ResultTable.Ms(c.P95),
                $"{q.Median / c.Median:0.0}x", $"{q.P95 / c.P95:0.0}x");
        }
        Console.WriteLine();
        Console.WriteLine($"Queue server time, {options.Iterations} timed runs per scenario after {options.Warmups} warm-ups (milliseconds):");
        Console.Write(table);
        Console.WriteLine("""

            queue: ApprovalQueue.GetCoordinatorQueueAsync, 25 rows a page, as the queue page calls it (scope, filters, total count and
                   one page of rows, each read on a fresh pooled context). "matched" is its total, "rows" the rows on the page.
            count: a bare, prepared SELECT COUNT(*) of the rows routed to the same coordinator and waiting for a coordinator
                   (Status = 'PendingCoordinator' AND their school system or schools), on one open Microsoft.Data.Sqlite connection.
            ratio: queue / count, of the medians and of the 95th percentiles.
            """);
    }

    private sealed record Scenario(string Name, Caller Caller, QueueQuery Query, RoutedPendingCount Baseline);
}
