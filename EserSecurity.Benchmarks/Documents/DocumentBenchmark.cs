using System.Diagnostics;
using EserSecurity.Benchmarks.Live;
using EserSecurity.Benchmarks.Measurement;
using EserSecurity.Core.Data;
using EserSecurity.Core.Documents;
using EserSecurity.Core.Documents.Layout;
using EserSecurity.Core.Security;
using EserSecurity.DemoState;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EserSecurity.Benchmarks.Documents;

/// <summary>
/// One-pager downloads per second on one thread over the Full demo state (both one-pagers of every school system, one
/// after another), three ways: through the real console over HTTP as the state administrator's browser downloads them;
/// through <see cref="DocumentService"/> in this process (scope check, reads, composition, writing); and split into
/// those phases, each timed over every one-pager with the process's CPU time. Plus the ZIP of every one-pager and the
/// authorized-user list of the school system with the most grants.
/// </summary>
internal sealed class DocumentBenchmark(BenchmarkOptions options)
{
    /// <summary>As the console's Development settings give it: one-pagers carry their QR codes, as a configured console's do.</summary>
    private const string ConsoleUrl = "http://127.0.0.1:5275";

    /// <summary>Untimed rounds over every one-pager before timing, in this process and in the console.</summary>
    private const int WarmUpRounds = 4;

    public async Task RunAsync(CancellationToken ct)
    {
        var directory = Directory.CreateTempSubdirectory("eser-bench-docs-");
        try
        {
            var databasePath = Path.Combine(directory.FullName, "console.db");
            IReadOnlyList<int> schoolSystems;
            var table = new ResultTable("measure", "value");
            await using (var services = CoreServices.Over(databasePath, DemoStateSize.Full,
                s => s.Configure<DocumentOptions>(d => d.ConsoleUrl = ConsoleUrl)))
            {
                Console.WriteLine($"Creating the Full demo state in {databasePath} ...");
                await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
                if (Environment.GetEnvironmentVariable(SamplesVariable) is { Length: > 0 } samples)
                {
                    await WriteSamplesAsync(services, samples, ct);
                    return;
                }
                schoolSystems = await InProcessAsync(services, table, ct);
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            await OverHttpAsync(databasePath, schoolSystems, table, ct);

            Console.WriteLine(table);
            Console.WriteLine("Target: at least 200 one-pager downloads per second on one thread (each read from the database and rendered).");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                directory.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A file still held by the dying console; the temp folder is cleaned by the OS.
            }
        }
    }

    /// <summary>With this set to a folder, the benchmark only writes the first school system's two one-pagers there, to look at.</summary>
    private const string SamplesVariable = "ESER_DOCUMENT_SAMPLES";

    private static async Task WriteSamplesAsync(IServiceProvider services, string folder, CancellationToken ct)
    {
        var documents = services.GetRequiredService<DocumentService>();
        var admin = await services.CallerAsync(DemoPeople.StateAdmin, ct);
        await using var db = await services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync(ct);
        var first = await db.SchoolSystems.OrderBy(s => s.Code).Select(s => s.Id).FirstAsync(ct);
        Directory.CreateDirectory(folder);
        foreach (var document in new[] { await documents.CoordinatorSetupAsync(admin, first, ct), await documents.GainingAccessAsync(admin, first, ct) })
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, document.FileName), document.Content, ct);
            Console.WriteLine($"Wrote {Path.Combine(folder, document.FileName)}");
        }
    }

    private async Task<IReadOnlyList<int>> InProcessAsync(IServiceProvider services, ResultTable table, CancellationToken ct)
    {
        var documents = services.GetRequiredService<DocumentService>();
        var admin = await services.CallerAsync(DemoPeople.StateAdmin, ct);
        await using var db = await services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync(ct);
        var schoolSystems = await db.SchoolSystems.OrderBy(s => s.Code).Select(s => s.Id).ToListAsync(ct);
        var largest = await db.AccessGrants.Where(g => g.EndedAt == null).GroupBy(g => g.SchoolSystemId)
            .OrderByDescending(g => g.Count()).Select(g => new { Id = g.Key, Grants = g.Count() }).FirstAsync(ct);
        var perRound = schoolSystems.Count * 2;

        // Warm-up: font resolution, EF query compilation and the JIT. Tiered compilation recompiles hot methods in the
        // background for a while after their first few hundred calls; timed meanwhile, a round counts that work too.
        for (var round = 0; round < WarmUpRounds; round++)
        {
            foreach (var id in schoolSystems)
            {
                await documents.CoordinatorSetupAsync(admin, id, ct);
                await documents.GainingAccessAsync(admin, id, ct);
            }
        }

        Console.WriteLine($"Timing {perRound} one-pagers a round in this process ...");
        var rates = new List<double>();
        var cpuPerDocument = new List<double>();
        var sizes = new List<long>();
        // The same downloads with nothing kept: a service of its own for each one-pager reads and lays it out afresh, as
        // the first download of each one-pager after an audited change does (the caller's kept scope stays). Its rounds
        // alternate with the others, so both are timed while the runtime is at the same stage of compiling hot code.
        var freshRates = new List<double>();
        var factory = services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>();
        var scopes = services.GetRequiredService<ScopeService>();
        var clock = services.GetRequiredService<TimeProvider>();
        var documentOptions = services.GetRequiredService<IOptions<DocumentOptions>>();
        for (var round = 0; round < options.Iterations; round++)
        {
            var (seconds, cpu) = await TimedAsync(async () =>
            {
                foreach (var id in schoolSystems)
                {
                    sizes.Add((await documents.CoordinatorSetupAsync(admin, id, ct)).Content.Length);
                    sizes.Add((await documents.GainingAccessAsync(admin, id, ct)).Content.Length);
                }
            });
            rates.Add(perRound / seconds);
            cpuPerDocument.Add(cpu / perRound);

            var (freshSeconds, _) = await TimedAsync(async () =>
            {
                foreach (var id in schoolSystems)
                {
                    await new DocumentService(factory, scopes, clock, documentOptions).CoordinatorSetupAsync(admin, id, ct);
                    await new DocumentService(factory, scopes, clock, documentOptions).GainingAccessAsync(admin, id, ct);
                }
            });
            freshRates.Add(perRound / freshSeconds);
        }

        // The same one-pagers phase by phase: every one-pager's reads, then composing them all, then writing them all,
        // so each phase's CPU time is the process's over many one-pagers.
        var reads = new List<double>();
        var composition = new List<double>();
        var writing = new List<double>();
        for (var round = 0; round < options.Iterations; round++)
        {
            var loaded = new List<(SchoolSystemSheet Sheet, IReadOnlyList<KeyDateLine> KeyDates, RenderContext Context)>(perRound);
            reads.Add((await TimedAsync(async () =>
            {
                foreach (var id in schoolSystems)
                {
                    loaded.Add(await documents.LoadOnePagerAsync(admin, id, ct));
                    loaded.Add(await documents.LoadOnePagerAsync(admin, id, ct));
                }
            })).Cpu / perRound);
            var composed = new List<PdfComposer>(perRound);
            composition.Add((await TimedAsync(() =>
            {
                for (var i = 0; i < loaded.Count; i += 2)
                {
                    var (sheet, keyDates, context) = loaded[i];
                    composed.Add(CoordinatorSetupDocument.ComposeOnOnePage(sheet, keyDates, context));
                    (sheet, keyDates, context) = loaded[i + 1];
                    composed.Add(GainingAccessDocument.ComposeOnOnePage(sheet, keyDates, context));
                }
                return Task.CompletedTask;
            })).Cpu / perRound);
            writing.Add((await TimedAsync(() =>
            {
                foreach (var composer in composed)
                {
                    composer.Build();
                }
                return Task.CompletedTask;
            })).Cpu / perRound);
        }

        // The ZIP reads every school system once and then only renders: the composition layer and PDFsharp alone.
        var zipRates = new List<double>();
        var zipCpuPerDocument = new List<double>();
        for (var round = 0; round < options.Iterations; round++)
        {
            var (seconds, cpu) = await TimedAsync(() => documents.WriteOnePagersZipAsync(admin, Stream.Null, null, ct));
            zipRates.Add(perRound / seconds);
            zipCpuPerDocument.Add(cpu / perRound);
        }

        var listTimes = new List<double>();
        var listSize = 0L;
        for (var i = 0; i < Math.Max(3, options.Iterations); i++)
        {
            var stopwatch = Stopwatch.StartNew();
            var list = await documents.AuthorizedUserListPdfAsync(admin, largest.Id, ct);
            listTimes.Add(stopwatch.Elapsed.TotalMilliseconds);
            listSize = list.Content.Length;
        }

        table.Add("one-pagers per round (both kinds, every school system)", ResultTable.Number(perRound));
        table.Add("in process (DocumentService): one-pagers per second, one thread: median of rounds", $"{Median(rates):F0}");
        table.Add("  slowest round", $"{rates.Min():F0}");
        table.Add("  with nothing kept (each one-pager's first download after an audited change): median", $"{Median(freshRates):F0}");
        // CPU time counts the work alone: on a machine shared with other builds, wall time also counts the waits for a core.
        table.Add("  process CPU ms per one-pager: median of rounds", ResultTable.Ms(Median(cpuPerDocument)));
        table.Add("  of which reads (kept scope, audit sequence, sheet and key dates kept until a change): median", ResultTable.Ms(Median(reads)));
        table.Add("  of which composition (layout, one-page fit): median", ResultTable.Ms(Median(composition)));
        table.Add("  of which writing (drawing, fonts, saving the PDF): median", ResultTable.Ms(Median(writing)));
        table.Add("ZIP of every one-pager (read once): one-pagers per second, median", $"{Median(zipRates):F0}");
        table.Add("  process CPU ms per one-pager: median", ResultTable.Ms(Median(zipCpuPerDocument)));
        table.Add("average one-pager size", $"{sizes.Average() / 1024:F1} KB");
        table.Add($"authorized-user list of the largest school system ({largest.Grants:N0} active grants): median", ResultTable.Ms(Percentiles.Of(listTimes).Median));
        table.Add("  p95", ResultTable.Ms(Percentiles.Of(listTimes).P95));
        table.Add("  size", $"{listSize / 1024:N0} KB");
        return schoolSystems;
    }

    /// <summary>
    /// The real console over the same database, downloading each one-pager as the Documents page's links do, one request
    /// at a time with the state administrator's sign-in cookie; the console's CPU time per download.
    /// </summary>
    private async Task OverHttpAsync(string databasePath, IReadOnlyList<int> schoolSystems, ResultTable table, CancellationToken ct)
    {
        ConsoleBrowser.RequireChromium();
        Console.WriteLine("Starting the console over the same database ...");
        await using var console = await DashboardProcess.StartAsync(databasePath, ct, new Dictionary<string, string>
        {
            ["Database__DemoState"] = "None",
            ["Documents__ConsoleUrl"] = ConsoleUrl,
            ["Documents__PerPersonPerMinute"] = "10000",
        });
        string cookie;
        await using (var browser = await ConsoleBrowser.LaunchAsync(console))
        {
            var page = await browser.SignInAsync(DemoPeople.StateAdmin);
            cookie = string.Join("; ", (await page.Context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}"));
        }
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(console.BaseUrl),
        };
        var urls = schoolSystems.SelectMany(id => new[] { $"/documents/files/coordinator-setup/{id}", $"/documents/files/gaining-access/{id}" }).ToList();

        async Task DownloadAllAsync()
        {
            foreach (var url in urls)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Add("Cookie", cookie);
                using var response = await http.SendAsync(request, ct);
                var body = await response.Content.ReadAsByteArrayAsync(ct);
                if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != GeneratedDocument.PdfContentType || body.Length == 0)
                {
                    throw new InvalidOperationException($"{url} answered {(int)response.StatusCode} {response.Content.Headers.ContentType}: not a PDF.");
                }
            }
        }

        for (var round = 0; round < WarmUpRounds; round++)
        {
            await DownloadAllAsync();
        }
        await console.SettleAsync(ct);
        // The console's own background work (hosted services, timers) goes on while the rounds run; on a loaded machine a
        // round takes longer and would charge more of it to each download, so it is measured idle and taken off.
        var idleBefore = console.CpuTime;
        var idleWatch = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(5), ct);
        var idleMsPerSecond = (console.CpuTime - idleBefore).TotalMilliseconds / idleWatch.Elapsed.TotalSeconds;
        // The per-person limit counts every download of the minute: the rounds stay under the limit set above.
        var rounds = Math.Min(options.Iterations, 9000 / urls.Count - WarmUpRounds);
        var rates = new List<double>();
        var consoleCpu = new List<double>();
        var consoleCpuLessIdle = new List<double>();
        var clientCpu = new List<double>();
        using var self = Process.GetCurrentProcess();
        for (var round = 0; round < rounds; round++)
        {
            var consoleBefore = console.CpuTime;
            self.Refresh();
            var clientBefore = self.TotalProcessorTime;
            var stopwatch = Stopwatch.StartNew();
            await DownloadAllAsync();
            var seconds = stopwatch.Elapsed.TotalSeconds;
            rates.Add(urls.Count / seconds);
            var used = (console.CpuTime - consoleBefore).TotalMilliseconds;
            consoleCpu.Add(used / urls.Count);
            consoleCpuLessIdle.Add((used - idleMsPerSecond * seconds) / urls.Count);
            self.Refresh();
            clientCpu.Add((self.TotalProcessorTime - clientBefore).TotalMilliseconds / urls.Count);
        }
        table.Add("over HTTP (the console, GET /documents/files/{kind}/{id}): downloads per second, one client: median of rounds", $"{Median(rates):F0}");
        table.Add("  slowest round", $"{rates.Min():F0}");
        table.Add("  console CPU ms per download: median of rounds", ResultTable.Ms(Median(consoleCpu)));
        table.Add($"  the same less the console's idle CPU ({idleMsPerSecond:F1} ms per second): median", ResultTable.Ms(Median(consoleCpuLessIdle)));
        table.Add("  benchmark client CPU ms per download (same cores): median", ResultTable.Ms(Median(clientCpu)));
    }

    private static async Task<(double Seconds, double Cpu)> TimedAsync(Func<Task> work)
    {
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        await work();
        var seconds = stopwatch.Elapsed.TotalSeconds;
        process.Refresh();
        return (seconds, (process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
