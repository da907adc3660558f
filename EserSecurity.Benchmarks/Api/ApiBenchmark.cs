using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using EserSecurity.Benchmarks.Live;
using EserSecurity.Benchmarks.Measurement;
using EserSecurity.Core.Data;
using EserSecurity.Core.Provisioning;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Benchmarks.Api;

/// <summary>
/// The access API through the real console process over the Full state: <c>GET /api/v1/people/{staffId}/access</c> with a
/// bearer token, as many as it answers (closed loop) and at a fixed 500 requests per second (open loop, latency counted from
/// each request's scheduled time); then a client catching up on at least 100,000 changes from the feed's start.
/// </summary>
internal sealed class ApiBenchmark(BenchmarkOptions options)
{
    private const int FeedSize = 100_000;
    private const string ClientId = "benchmark-client";

    public async Task RunAsync(CancellationToken ct)
    {
        var directory = Directory.CreateTempSubdirectory("eser-api-bench-");
        try
        {
            var databasePath = Path.Combine(directory.FullName, "console.db");
            var staffIds = await PrepareAsync(databasePath, ct);
            using var issuer = new TokenIssuer();
            await using var console = await DashboardProcess.StartAsync(databasePath, ct, new Dictionary<string, string>
            {
                ["Database__DemoState"] = "None",
                ["Api__Audience"] = TokenIssuer.Audience,
                ["Api__Authority"] = issuer.Authority,
                ["Api__RequireHttpsMetadata"] = "false",
                ["Api__RequestsPerSecond"] = "1000000",
                ["Api__Burst"] = "1000000",
            });
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(console.BaseUrl) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issuer.TokenFor(ClientId, ApiScopes.AccessRead, ApiScopes.ChangesRead));
            await console.SettleAsync(ct);

            Console.WriteLine("Warming up (1,000 requests) ...");
            await ClosedLoopAsync(http, staffIds, workers: 4, TimeSpan.FromSeconds(3), ct);

            for (var round = 1; round <= options.Rounds; round++)
            {
                var cpu = console.CpuTime;
                var closed = await ClosedLoopAsync(http, staffIds, workers: 8, TimeSpan.FromSeconds(10), ct);
                Console.WriteLine($"Round {round}, closed loop (8 clients, 10 s): {closed.Rate:N0} requests/s; latency p50 {closed.Latency.Median:0.0} ms, " +
                    $"p95 {closed.Latency.P95:0.0} ms, max {closed.Latency.Max:0.0} ms; console CPU {(console.CpuTime - cpu).TotalSeconds / 10:0.00} cores");
                cpu = console.CpuTime;
                var open = await OpenLoopAsync(http, staffIds, perSecond: 500, TimeSpan.FromSeconds(20), ct);
                Console.WriteLine($"Round {round}, open loop at 500 requests/s for 20 s: {open.Latency.Count:N0} answered, {open.Failures} failed; " +
                    $"latency p50 {open.Latency.Median:0.0} ms, p95 {open.Latency.P95:0.0} ms, max {open.Latency.Max:0.0} ms; console CPU {(console.CpuTime - cpu).TotalSeconds / 20:0.00} cores");
            }

            var watch = Stopwatch.StartNew();
            var (changes, pages) = await CatchUpAsync(http, ct);
            Console.WriteLine($"Catch-up from the feed's start: {changes:N0} changes in {pages:N0} pages of 1,000 in {watch.Elapsed.TotalSeconds:0.00} s " +
                $"({changes / watch.Elapsed.TotalSeconds:N0} changes/s)");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private static async Task<IReadOnlyList<string>> PrepareAsync(string databasePath, CancellationToken ct)
    {
        await using var services = CoreServices.Over(databasePath, DemoStateSize.Full);
        Console.WriteLine($"Creating the Full demo state in {databasePath} ...");
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
        var factory = services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct);
        db.ApiClients.Add(new ApiClient
        {
            ClientId = ClientId, Name = "Benchmark", Scopes = $"{ApiScopes.AccessRead} {ApiScopes.ChangesRead}", RegisteredAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync(ct);
        // The demo's history repeated until the feed holds at least 100,000 changes.
        var count = await db.AccessDecisionChanges.CountAsync(ct);
        var history = count;
        while (count < FeedSize)
        {
            var take = Math.Min(history, FeedSize - count);
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO AccessDecisionChanges (At, Kind, StaffMemberId, AccessGrantId, Reason) SELECT At, Kind, StaffMemberId, AccessGrantId, Reason FROM AccessDecisionChanges ORDER BY Id LIMIT {take}", ct);
            count += take;
        }
        var people = await db.AccessGrants.Where(g => g.EndedAt == null).Select(g => g.StaffMember!.StaffId).Distinct().ToListAsync(ct);
        Console.WriteLine($"  {await db.StaffMembers.CountAsync(ct):N0} people, {people.Count:N0} with an active grant, {count:N0} changes in the feed ({history:N0} from the demo's history)");
        return people;
    }

    private sealed record Run(double Rate, Percentiles Latency, int Failures);

    private static async Task<Run> ClosedLoopAsync(HttpClient http, IReadOnlyList<string> staffIds, int workers, TimeSpan duration, CancellationToken ct)
    {
        var latencies = new ConcurrentBag<double>();
        var failures = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            while (watch.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync($"/api/v1/people/{staffIds[random.Next(staffIds.Count)]}/access", ct);
                await response.Content.ReadAsByteArrayAsync(ct);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failures);
                }
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }, ct)));
        return new Run(latencies.Count / watch.Elapsed.TotalSeconds, Percentiles.Of(latencies), failures);
    }

    private static async Task<Run> OpenLoopAsync(HttpClient http, IReadOnlyList<string> staffIds, int perSecond, TimeSpan duration, CancellationToken ct)
    {
        var latencies = new ConcurrentBag<double>();
        var failures = 0;
        var random = new Random(17);
        var total = (int)(perSecond * duration.TotalSeconds);
        var interval = TimeSpan.FromSeconds(1.0 / perSecond);
        var requests = new List<Task>(total);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var due = interval * i;
            var wait = due - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, ct);
            }
            var staffId = staffIds[random.Next(staffIds.Count)];
            requests.Add(Task.Run(async () =>
            {
                using var response = await http.GetAsync($"/api/v1/people/{staffId}/access", ct);
                await response.Content.ReadAsByteArrayAsync(ct);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failures);
                }
                // From the moment the request was due, so a stall delays every request behind it in the figures too.
                latencies.Add((Stopwatch.GetElapsedTime(start) - due).TotalMilliseconds);
            }, ct));
        }
        await Task.WhenAll(requests);
        return new Run(perSecond, Percentiles.Of(latencies), failures);
    }

    private static async Task<(long Changes, int Pages)> CatchUpAsync(HttpClient http, CancellationToken ct)
    {
        long cursor = 0, changes = 0;
        var pages = 0;
        while (true)
        {
            using var response = await http.GetAsync($"/api/v1/access/changes?after={cursor}&limit=1000", ct);
            response.EnsureSuccessStatusCode();
            using var page = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
            changes += page.RootElement.GetProperty("changes").GetArrayLength();
            cursor = page.RootElement.GetProperty("next").GetInt64();
            pages++;
            if (!page.RootElement.GetProperty("hasMore").GetBoolean())
            {
                return (changes, pages);
            }
        }
    }
}
