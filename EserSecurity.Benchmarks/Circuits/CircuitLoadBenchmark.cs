using System.Diagnostics;
using System.Globalization;
using EserSecurity.Benchmarks.Live;
using EserSecurity.Benchmarks.Measurement;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Data;
using EserSecurity.DemoState;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EserSecurity.Benchmarks.Circuits;

/// <summary>
/// The console under open approval queues, measured the way a load test measures a server: thousands of real Blazor
/// Server circuits held by a headless client (<see cref="QueueCircuit"/>) that renders nothing, while one coordinator
/// approves requests in Chromium. At each circuit count: the time from a decision to the render batch that drops its
/// row on every circuit, the console's memory per circuit, and the CPU of the console and of this client. The consoles it
/// starts run over SQLite (one instance) or over a PostgreSQL cluster of its own (one instance or several, the circuits
/// spread over them in turn and each decision reaching the others through the PostgreSQL change feed), reported per instance.
/// </summary>
internal sealed class CircuitLoadBenchmark(CircuitLoadOptions options)
{
    private const double TargetP95Ms = 250;
    private const int TargetCircuits = 5_000;
    private const double TargetKbPerCircuit = 500;
    // The ramp stops once a step's p95 is this far past the target (40 times): the next step would only measure a queue of
    // updates. Below it the ramp goes on, so that a loaded machine still yields the figures at 1,000 circuits.
    private const double GiveUpP95Ms = 10_000;
    private const int OpeningWorkers = 4;
    private static readonly TimeSpan DropTimeout = TimeSpan.FromSeconds(180);
    private const string PostgresDatabaseName = "eser_circuits";

    private readonly List<StepResult> _steps = [];
    // Per step: the circuits open, how many on each instance, and each instance's memory (in the order of the consoles).
    private readonly List<(int Circuits, IReadOnlyList<int> OnInstance, IReadOnlyList<ConsoleMemory> Each)> _memory = [];

    public async Task RunAsync(CancellationToken ct)
    {
        if (options.Urls.Count > 0)
        {
            Console.WriteLine($"Loading the running console at {string.Join(", ", options.Urls)} (its own configuration decides whether reads are shared).");
            await RunAgainstAsync(options.Urls, consoles: [], services: null, ct);
            return;
        }
        ConsoleBrowser.RequireChromium();
        if (options.Database == CircuitDatabase.Postgres)
        {
            PostgresCluster.RequireInstalled();
        }
        var directory = Directory.CreateTempSubdirectory("eser-bench-circuits-");
        PostgresCluster? cluster = null;
        var consoles = new List<DashboardProcess>();
        try
        {
            var databasePath = Path.Combine(directory.FullName, "console.db");
            var database = new DatabaseOptions { ConnectionString = CoreServices.ConnectionString(databasePath), DemoState = nameof(DemoStateSize.Full) };
            if (options.Database == CircuitDatabase.Postgres)
            {
                Console.WriteLine("Starting a PostgreSQL 15 cluster of this run's own ...");
                cluster = await PostgresCluster.StartAsync(ct);
                database.Provider = nameof(DatabaseProvider.Postgres);
                database.ConnectionString = await cluster.CreateDatabaseAsync(PostgresDatabaseName, ct);
                Console.WriteLine($"  listening on 127.0.0.1:{cluster.Port}");
            }
            await using var services = CoreServices.Over(database, CoreServices.ChainKeyFile(databasePath));
            Console.WriteLine($"Creating the Full demo state in {(cluster is null ? databasePath : $"the PostgreSQL database {PostgresDatabaseName}")} ...");
            await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
            // The consoles open the audit chain with the key beside the database; loading it here writes the file.
            _ = services.GetRequiredService<AuditChainKey>();
            var environment = new Dictionary<string, string>
            {
                ["Database__Provider"] = database.Provider,
                ["Database__ConnectionString"] = database.ConnectionString,
                ["Database__DemoState"] = "None",
                // Zero turns sharing off (QueueOptions.ShareReadsFor); otherwise the console's default applies.
                ["Queue__ShareReadsFor"] = options.SharedReads ? new QueueOptions().ShareReadsFor.ToString("c", CultureInfo.InvariantCulture) : "00:00:00",
            };
            // One after the other: the first has applied the migrations by the time the next starts.
            for (var instance = 1; instance <= options.Instances; instance++)
            {
                Console.WriteLine($"Starting console instance {instance} of {options.Instances} (Development, {options.Database}, shared reads {(options.SharedReads ? "on" : "off")}) ...");
                consoles.Add(await DashboardProcess.StartAsync(databasePath, ct, environment));
                Console.WriteLine($"  serving {consoles[^1].BaseUrl} (process {consoles[^1].ProcessId})");
            }
            try
            {
                await RunAgainstAsync([.. consoles.Select(c => c.BaseUrl)], consoles, services, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                foreach (var (console, instance) in consoles.Select((c, i) => (c, i + 1)))
                {
                    Console.Error.WriteLine($"Console instance {instance}'s output so far:\n{console.Output}");
                }
                throw;
            }
            foreach (var (console, instance) in consoles.Select((c, i) => (c, i + 1)))
            {
                PrintConsoleLog(console.Output, consoles.Count == 1 ? "The console" : $"Console instance {instance}");
            }
        }
        finally
        {
            // Everything this run started stops here, also after a failure or Ctrl+C: the consoles, then the cluster.
            foreach (var console in consoles)
            {
                await console.DisposeAsync();
            }
            SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }
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

    private async Task RunAgainstAsync(IReadOnlyList<string> urls, List<DashboardProcess> consoles, IServiceProvider? services, CancellationToken ct)
    {
        var console = consoles.Count > 0 ? consoles[0] : null;
        await using var browser = await ConsoleBrowser.LaunchAsync(urls[0], console);
        Console.WriteLine($"Signing in {DemoPeople.DistrictCoordinator} (deciding, in Chromium) and {DemoPeople.DistrictCoordinator2} (the circuits' cookie) ...");
        var decider = new BrowserDecider(await browser.SignInAsync(DemoPeople.DistrictCoordinator));
        await decider.OpenQueueAsync();
        var observer = await browser.SignInAsync(DemoPeople.DistrictCoordinator2);
        var cookie = string.Join("; ", (await observer.Context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}"));
        // Only the headless circuits observe: the observer's own page (and its circuit) closes.
        await observer.Context.CloseAsync();

        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = OpeningWorkers * 2 })
        {
            Timeout = TimeSpan.FromSeconds(120),
        };
        var circuits = new List<PlacedCircuit>();
        try
        {
            _memory.Add((0, [.. urls.Select(_ => 0)], await ReadMemoryAsync(http, urls, consoles, ct)));
            Task<string?> ReadThreadPool() => ConsoleMemory.ThreadPoolAsync(http, urls[0], ct);
            var warmedUp = false;
            string? stop = null;
            foreach (var count in options.Counts)
            {
                var opened = await OpenUpToAsync(circuits, count, http, urls, cookie, consoles, ct);
                if (opened.Failure is not null)
                {
                    stop = $"opening circuit {circuits.Count + 1:N0} failed: {opened.Failure}";
                    break;
                }
                await SettleAsync(consoles, ct);
                var each = await ReadMemoryAsync(http, urls, consoles, ct);
                var memory = Total(each);
                _memory.Add((circuits.Count, [.. urls.Select((_, i) => circuits.Count(c => c.Instance == i))], each));
                Console.WriteLine($"  {circuits.Count:N0} circuits open ({opened.PerSecond:0.0}/s while opening); console{(urls.Count > 1 ? "s together" : "")} {Describe(memory)}");
                if (!warmedUp)
                {
                    var warmUp = await DecideAsync(decider, circuits, consoles, services, ReadThreadPool, ct);
                    Console.WriteLine($"  warm-up decision: request {warmUp.RequestId}, p95 {Percentiles.Of(warmUp.FromClick).P95:0} ms from the click" +
                        (warmUp.Missing > 0 ? $"; {warmUp.Missing:N0} circuits never dropped it" : ""));
                    warmedUp = true;
                    if (warmUp.Missing > 0)
                    {
                        // A late batch of this decision would pass for the next decision's: the step cannot be timed.
                        stop = $"{warmUp.Missing:N0} of {circuits.Count:N0} circuits did not drop the warm-up decision's row within {DropTimeout.TotalSeconds:0} s" +
                            (await ConsoleMemory.ThreadPoolAsync(http, urls[0], ct) is { } pool ? $"; the console then had {pool}" : "");
                        _steps.Add(new StepResult(circuits.Count, [warmUp], memory));
                        break;
                    }
                }
                var rounds = new List<RoundResult>();
                for (var decision = 1; decision <= options.Decisions && stop is null; decision++)
                {
                    var round = await DecideAsync(decider, circuits, consoles, services, ReadThreadPool, ct);
                    rounds.Add(round);
                    var figures = Percentiles.Of(round.FromCommit ?? round.FromClick);
                    Console.WriteLine($"    decision {decision}: request {round.RequestId}, row gone on {round.FromClick.Count:N0} circuits: " +
                        $"p50 {figures.Median:0} ms, p95 {figures.P95:0} ms, max {figures.Max:0} ms; console CPU {Ms(round.ConsoleCpu)} ms, client CPU {round.ClientCpu:0} ms" +
                        (round.Missing > 0 ? $"; {round.Missing:N0} circuits never dropped it" : ""));
                    if (round.Missing > 0)
                    {
                        var pool = await ConsoleMemory.ThreadPoolAsync(http, urls[0], ct);
                        stop = $"{round.Missing:N0} of {circuits.Count:N0} circuits did not drop the row within {DropTimeout.TotalSeconds:0} s " +
                            $"({round.Failed:N0} of them failed{(round.FirstFailure is null ? "" : $", first: {round.FirstFailure}")}; the rest were still waiting)" +
                            (pool is null ? "" : $"; the console then had {pool}");
                    }
                }
                var step = new StepResult(circuits.Count, rounds, memory);
                _steps.Add(step);
                if (stop is null && step.Latency.P95 > GiveUpP95Ms)
                {
                    stop = $"p95 {step.Latency.P95:0} ms at {circuits.Count:N0} circuits is past {GiveUpP95Ms:0} ms";
                }
                if (stop is not null)
                {
                    break;
                }
            }
            Report(stop, urls.Count, console is not null, services is not null);
        }
        finally
        {
            Console.WriteLine($"Closing {circuits.Count:N0} circuits ...");
            await Task.WhenAll(circuits.Select(c => c.Circuit.DisposeAsync().AsTask()));
        }
    }

    /// <summary>Opens circuits until there are <paramref name="count"/>, a few at a time, spread over the consoles in turn.</summary>
    private static async Task<(double PerSecond, string? Failure)> OpenUpToAsync(
        List<PlacedCircuit> circuits, int count, HttpClient http, IReadOnlyList<string> urls, string cookie, List<DashboardProcess> consoles, CancellationToken ct)
    {
        var wanted = count - circuits.Count;
        var next = circuits.Count;
        string? failure = null;
        var watch = Stopwatch.StartNew();
        var progress = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, OpeningWorkers).Select(_ => Task.Run(async () =>
        {
            while (Volatile.Read(ref failure) is null)
            {
                var index = Interlocked.Increment(ref next) - 1;
                if (index >= count)
                {
                    return;
                }
                try
                {
                    var instance = CircuitLoadOptions.InstanceOf(index, urls.Count);
                    var circuit = await QueueCircuit.OpenAsync(http, urls[instance], "/queue", cookie, ct);
                    lock (circuits)
                    {
                        circuits.Add(new PlacedCircuit(instance, circuit));
                        if (progress.Elapsed > TimeSpan.FromSeconds(15))
                        {
                            Console.WriteLine($"    ... {circuits.Count:N0} open");
                            progress.Restart();
                        }
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    Interlocked.CompareExchange(ref failure, $"{ex.GetType().Name}: {ex.Message}", null);
                }
            }
        }, ct)));
        if (failure is null && circuits.FirstOrDefault(c => c.Circuit.Failure is not null) is { } broken)
        {
            failure = $"an open circuit on instance {broken.Instance + 1} stopped: {broken.Circuit.Failure}";
        }
        if (failure is not null && consoles.Count > 0)
        {
            Console.WriteLine($"  console{(consoles.Count > 1 ? "s together" : "")} at the failure: {Describe(Total(await ReadMemoryAsync(http, urls, consoles, ct)))}");
        }
        return (wanted / watch.Elapsed.TotalSeconds, failure);
    }

    /// <summary>
    /// One decision: the decider approves the oldest request, and every circuit waits for the batch that drops its row.
    /// Times run from the server's decision stamp (when this program owns the database) and from the approve click.
    /// </summary>
    private static async Task<RoundResult> DecideAsync(BrowserDecider decider, IReadOnlyList<PlacedCircuit> circuits, List<DashboardProcess> consoles,
        IServiceProvider? services, Func<Task<string?>> threadPool, CancellationToken ct)
    {
        var requestId = await decider.FirstRequestAsync();
        await decider.PrepareAsync(requestId);
        var drops = circuits.Select(c => c.Circuit.WatchRowDrop(requestId)).ToList();
        var consoleCpu = consoles.Select(c => c.CpuTime).ToList();
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var machine = MachineCpu.Read();
        var window = Stopwatch.StartNew();
        var decision = await decider.ApproveAsync(requestId);
        var all = Task.WhenAll(drops);
        await Task.WhenAny(all, Task.Delay(DropTimeout, ct));
        window.Stop();
        IReadOnlyList<double>? consoleEach = consoles.Count == 0 ? null : [.. consoles.Select((c, i) => (c.CpuTime - consoleCpu[i]).TotalMilliseconds)];
        var consoleUsed = consoleEach?.Sum();
        var clientUsed = (Process.GetCurrentProcess().TotalProcessorTime - clientCpu).TotalMilliseconds;
        var machineBusy = MachineCpu.Read().BusyShareSince(machine);
        var receivedOn = drops.Select((d, i) => (Drop: d, circuits[i].Instance)).Where(d => d.Drop.IsCompletedSuccessfully).ToList();
        var received = receivedOn.Select(d => d.Drop.Result).ToList();
        if (received.Count == 0)
        {
            var pool = await threadPool();
            throw new InvalidOperationException($"No circuit dropped request {requestId} within {DropTimeout.TotalSeconds:0} s: " +
                $"{drops.FirstOrDefault(d => d.IsFaulted)?.Exception?.InnerException?.Message ?? "none failed, all were still waiting"}" +
                $"{(pool is null ? "" : $"; the console then had {pool}")}; console CPU in that time {Ms(consoleUsed)} ms, the machine {machineBusy:P0} busy.");
        }
        double? stampMs = services is null ? null : await StampAsync(services, requestId, ct);
        var fromClick = received.Select(r => (r.ReceivedAt - DateTimeOffset.UnixEpoch).TotalMilliseconds - decision.ClickedAt).ToList();
        var fromCommit = stampMs is double stamp ? received.Select(r => (r.ReceivedAt - DateTimeOffset.UnixEpoch).TotalMilliseconds - stamp).ToList() : null;
        var failed = drops.Where(d => d.IsFaulted).ToList();
        return new RoundResult(requestId, fromClick, fromCommit, [.. receivedOn.Select(d => d.Instance)], drops.Count - received.Count, failed.Count,
            failed.FirstOrDefault()?.Exception?.InnerException?.Message, consoleUsed, consoleEach, clientUsed, machineBusy,
            received.Average(r => r.Bytes), received.Average(r => r.Edits), received.Average(r => r.RemovedFrames), window.Elapsed.TotalMilliseconds);
    }

    /// <summary>The time the console stamped on the approval, taken just before its write transaction; the commit follows it.</summary>
    private static async Task<double> StampAsync(IServiceProvider services, int requestId, CancellationToken ct)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync(ct);
        var at = await db.AccessRequestSteps
            .Where(s => s.AccessRequestId == requestId && s.Action == AccessRequestAction.CoordinatorApproved)
            .Select(s => s.At).SingleAsync(ct);
        return (at - DateTimeOffset.UnixEpoch).TotalMilliseconds;
    }

    private static async Task SettleAsync(List<DashboardProcess> consoles, CancellationToken ct)
    {
        foreach (var console in consoles)
        {
            await console.SettleAsync(ct);
        }
        if (consoles.Count == 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
        }
    }

    /// <summary>Each console's memory, in the order of <paramref name="urls"/>; the resident set of those this program started.</summary>
    private static async Task<IReadOnlyList<ConsoleMemory>> ReadMemoryAsync(
        HttpClient http, IReadOnlyList<string> urls, List<DashboardProcess> consoles, CancellationToken ct) =>
        await Task.WhenAll(urls.Select((url, i) => ConsoleMemory.ReadAsync(http, url, i < consoles.Count ? consoles[i].ProcessId : null, ct)));

    private static ConsoleMemory Total(IReadOnlyList<ConsoleMemory> each)
    {
        return new ConsoleMemory(Sum(each.Select(m => m.ResidentMb)), Sum(each.Select(m => m.ManagedHeapMb)), Sum(each.Select(m => m.WorkingSetMb)));

        static double? Sum(IEnumerable<double?> values) => values.Any(v => v is null) ? null : values.Sum();
    }

    private static string Describe(ConsoleMemory memory) =>
        $"resident {Mb(memory.ResidentMb)} MB, managed heap {Mb(memory.ManagedHeapMb)} MB, working set (runtime) {Mb(memory.WorkingSetMb)} MB";

    private void Report(string? stop, int instances, bool ownConsole, bool stamped)
    {
        var cores = Environment.ProcessorCount;
        var latency = new ResultTable("circuits", "decisions", "row drops", "missing", "p50 ms", "p95 ms", "max ms", $"p95 <= {TargetP95Ms:0}",
            "console CPU/decision", "per circuit", "client CPU/decision", "machine busy", "batch bytes", "edits", "removals");
        foreach (var step in _steps)
        {
            var l = step.Latency;
            latency.Add(ResultTable.Number(step.Circuits), ResultTable.Number(step.Rounds.Count), ResultTable.Number(l.Count),
                ResultTable.Number(step.Missing), Ms(l.Median), Ms(l.P95), Ms(l.Max), step.Met ? "met" : "missed", $"{Ms(Median(step.Rounds.Select(r => r.ConsoleCpu)))} ms",
                Median(step.Rounds.Select(r => r.ConsoleCpu)) is double c ? $"{c / step.Circuits:0.00} ms" : "n/a",
                $"{Ms(Median(step.Rounds.Select(r => (double?)r.ClientCpu)))} ms", $"{Median(step.Rounds.Select(r => (double?)r.MachineBusy)) * 100:0}%",
                ResultTable.Number((int)step.Rounds.Average(r => r.BatchBytes)), ResultTable.Number((int)step.Rounds.Average(r => r.Edits)),
                step.Rounds.Average(r => r.Removals).ToString("0.#", CultureInfo.InvariantCulture));
        }
        var memory = new ResultTable("circuits", "resident MB", "managed heap MB", "working set MB", "resident KB/circuit", "heap KB/circuit");
        var baseline = Total(_memory[0].Each);
        foreach (var (circuits, m) in _memory.Select(p => (p.Circuits, Total(p.Each))))
        {
            memory.Add(ResultTable.Number(circuits), Mb(m.ResidentMb), Mb(m.ManagedHeapMb), Mb(m.WorkingSetMb),
                circuits == 0 ? "" : Kb(PerCircuit(m.ResidentMb ?? m.WorkingSetMb, baseline.ResidentMb ?? baseline.WorkingSetMb, circuits)),
                circuits == 0 ? "" : Kb(PerCircuit(m.ManagedHeapMb, baseline.ManagedHeapMb, circuits)));
        }
        var residentSlope = Slope(_memory.Select(p => (p.Circuits, Total(p.Each) is var m ? m.ResidentMb ?? m.WorkingSetMb : null)));
        var heapSlope = Slope(_memory.Select(p => (p.Circuits, Total(p.Each).ManagedHeapMb)));
        var held = _steps.Where(s => s.Met).Select(s => s.Circuits).DefaultIfEmpty(0).Max();
        var largest = _steps.Select(s => s.Circuits).DefaultIfEmpty(0).Max();
        var at1000 = _steps.FirstOrDefault(s => s.Circuits == 1_000);

        Console.WriteLine();
        Console.WriteLine($"Decision -> render batch that drops the row, on every open queue circuit, measured from the " +
            $"{(stamped ? "server's decision stamp (commit follows it)" : "approve click (no database here: an upper bound)")}, in milliseconds:");
        Console.Write(latency);
        if (instances > 1)
        {
            Console.WriteLine();
            Console.WriteLine($"The same per instance (circuits spread over the {instances} instances in turn; decisions made on instance 1, reaching the others " +
                "through the PostgreSQL change feed); memory per circuit is the instance's growth since no circuit was open over the circuits it holds:");
            Console.Write(PerInstance(instances));
        }
        Console.WriteLine();
        Console.WriteLine($"The console{(instances > 1 ? "s' memory together" : "'s memory")} over open queue circuits (after the opening settled):");
        Console.Write(memory);
        Console.WriteLine($"Slope (least squares over the steps): resident {Kb(residentSlope)} KB per circuit, managed heap {Kb(heapSlope)} KB per circuit.");
        Console.WriteLine();
        Console.WriteLine("Against the targets:");
        Console.WriteLine($"  p95 <= {TargetP95Ms:0} ms at 1,000 circuits: " + at1000 switch
        {
            null => "not measured",
            { Missing: > 0 } => $"missed: {at1000.Missing:N0} row drops never arrived within {DropTimeout.TotalSeconds:0} s",
            _ => $"{at1000.Latency.P95:0} ms, {(at1000.Met ? "met" : "missed")}",
        });
        Console.WriteLine($"  circuits held with p95 <= {TargetP95Ms:0} ms: {(held == 0 ? "none of the counts tried" : $"{held:N0}")} " +
            $"(largest count held open: {largest:N0}; target {TargetCircuits:N0})");
        Console.WriteLine($"  memory <= {TargetKbPerCircuit:0} KB per circuit: resident {Kb(residentSlope)} KB, {(residentSlope * 1024 <= TargetKbPerCircuit ? "met" : "missed")}");
        if (stop is not null)
        {
            Console.WriteLine($"  the ramp stopped: {stop}");
        }
        if (_steps.Count > 0)
        {
            var last = _steps[^1];
            // CPU is measured from the approve click until every circuit dropped the row or the wait gave up.
            var window = Median(last.Rounds.Select(r => (double?)r.WindowMs)) ?? 0;
            var consoleCores = Median(last.Rounds.Select(r => r.ConsoleCpu)) is double c && window > 0 ? c / window : (double?)null;
            var clientCores = Median(last.Rounds.Select(r => (double?)r.ClientCpu)) is double k && window > 0 ? k / window : (double?)null;
            var machineBusy = Median(last.Rounds.Select(r => (double?)r.MachineBusy)) ?? 0;
            Console.WriteLine($"  at {last.Circuits:N0} circuits, from the click until the circuits dropped the row or the wait ended ({window:0} ms): console {Cores(consoleCores)} cores, " +
                $"this client {Cores(clientCores)} cores, the machine as a whole {Cores(machineBusy * cores)} of {cores} cores busy.");
            Console.WriteLine($"  bound by: {Bound(consoleCores, clientCores, machineBusy, cores, last, stop)}");
            if (Median(last.Rounds.Select(r => r.ConsoleCpu)) is double perDecision)
            {
                var perCircuit = perDecision / last.Circuits;
                Console.WriteLine($"  the console's CPU per circuit per decision is {perCircuit:0.00} ms: on {cores} idle cores a decision reaches at most " +
                    $"{TargetP95Ms * cores / perCircuit:N0} circuits within {TargetP95Ms:0} ms.");
            }
        }
        Console.WriteLine($"""

            The client opens /queue as {DemoPeople.DistrictCoordinator2} (the same coordinator in every circuit, so with shared reads on
            every circuit's reload is one shared read) with the sign-in cookie, starts the circuit at /_blazor over SignalR
            (blazorpack: MessagePack) as Blazor's script does, acknowledges every render batch and answers every JavaScript call.
            {DemoPeople.DistrictCoordinator} approves the oldest request in Chromium; a circuit's row drop is the first render batch
            after the decision that brings a new queue total ("N requests"), timed when this client reads it (the system clock, which
            the console's stamp also reads). The client shares the machine's cores with the console{(ownConsole ? "" : " (when on the same machine)")}:
            its CPU is in the table, and a p95 far past the target with the client busy measures the client too.
            """);
    }

    /// <summary>Per step and instance: the row drops on its circuits, its CPU per decision, and its memory per circuit it holds.</summary>
    private ResultTable PerInstance(int instances)
    {
        var table = new ResultTable("circuits", "instance", "its circuits", "row drops", "p50 ms", "p95 ms", "max ms", "console CPU/decision", "per circuit",
            "resident KB/circuit", "heap KB/circuit");
        var baseline = _memory[0].Each;
        foreach (var step in _steps)
        {
            var (_, onInstance, each) = _memory.Last(m => m.Circuits == step.Circuits);
            for (var instance = 0; instance < instances; instance++)
            {
                var latency = step.LatencyOn(instance);
                var cpu = Median(step.Rounds.Select(r => r.ConsoleCpuEach?[instance]));
                var held = onInstance[instance];
                table.Add(ResultTable.Number(step.Circuits), ResultTable.Number(instance + 1), ResultTable.Number(held),
                    ResultTable.Number(latency?.Count ?? 0), Ms(latency?.Median), Ms(latency?.P95), Ms(latency?.Max), $"{Ms(cpu)} ms",
                    cpu is double c && held > 0 ? $"{c / held:0.00} ms" : "n/a",
                    Kb(PerCircuit(each[instance].ResidentMb, baseline[instance].ResidentMb, held)),
                    Kb(PerCircuit(each[instance].ManagedHeapMb, baseline[instance].ManagedHeapMb, held)));
            }
        }
        return table;
    }

    private static string Bound(double? consoleCores, double? clientCores, double machineBusy, int cores, StepResult last, string? stop)
    {
        if (stop is not null && stop.StartsWith("opening", StringComparison.Ordinal))
        {
            return $"opening circuits ({stop})";
        }
        var busy = (consoleCores ?? 0) + (clientCores ?? 0);
        if (last.Missing > 0 && consoleCores < 0.5)
        {
            return $"not CPU: the console used {Cores(consoleCores)} cores while {last.Missing:N0} row drops did not come; its live updates stall " +
                "(see its thread pool in the stop reason above)";
        }
        if (machineBusy >= 0.9 && busy < cores * 0.8)
        {
            return $"CPU, shared: the machine's cores were {machineBusy:P0} busy, mostly with other work; the console got {Cores(consoleCores)} cores " +
                $"and this client {Cores(clientCores)}, so its figures are slower than on a machine of its own (compare ratios, not times)";
        }
        if (busy >= cores * 0.8)
        {
            return (consoleCores ?? 0) >= (clientCores ?? 0)
                ? $"CPU: the console used {Cores(consoleCores)} of {cores} cores and this client {Cores(clientCores)}; the console's share is the larger"
                : $"CPU: this client used {Cores(clientCores)} of {cores} cores, more than the console ({Cores(consoleCores)}); the client bounds this figure";
        }
        return last.Latency.P95 <= TargetP95Ms
            ? "nothing reached at this count: the p95 is within target and the cores were not saturated"
            : $"not CPU alone ({Cores(busy)} of {cores} cores busy): the updates wait on something else (the other work on this machine, or the SignalR send queue)";
    }

    private static double? PerCircuit(double? value, double? baseline, int circuits) =>
        value is double v && baseline is double b && circuits > 0 ? (v - b) / circuits : null;

    /// <summary>Least-squares slope of MB over circuits.</summary>
    private static double? Slope(IEnumerable<(int Circuits, double? Mb)> points)
    {
        var known = points.Where(p => p.Mb is not null).Select(p => (X: (double)p.Circuits, Y: p.Mb!.Value)).ToList();
        if (known.Count < 2)
        {
            return null;
        }
        var (meanX, meanY) = (known.Average(p => p.X), known.Average(p => p.Y));
        var spread = known.Sum(p => (p.X - meanX) * (p.X - meanX));
        return spread == 0 ? null : known.Sum(p => (p.X - meanX) * (p.Y - meanY)) / spread;
    }

    private static double? Median(IEnumerable<double?> values)
    {
        var known = values.OfType<double>().ToList();
        return known.Count == 0 ? null : Percentiles.Of(known).Median;
    }

    private static string Ms(double? value) => value is double v ? ResultTable.Ms(v, 0) : "n/a";

    private static string Mb(double? value) => value is double v ? ResultTable.Ms(v, 0) : "n/a";

    private static string Kb(double? mb) => mb is double v ? ResultTable.Ms(v * 1024, 0) : "n/a";

    private static string Cores(double? value) => value is double v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>The console logs at Warning and above; thread-pool starvation or circuits it refused explain slow steps.</summary>
    private static void PrintConsoleLog(string output, string who)
    {
        const int MaxLines = 30;
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length > 0)
        {
            Console.WriteLine();
            Console.WriteLine($"{who} logged {lines.Length} line(s) at Warning or above{(lines.Length > MaxLines ? $"; the first {MaxLines}" : "")}:");
            foreach (var line in lines.Take(MaxLines))
            {
                Console.WriteLine($"  {line}");
            }
        }
    }

    /// <summary>An open circuit and the instance (an index into the consoles) it is open on.</summary>
    private sealed record PlacedCircuit(int Instance, QueueCircuit Circuit);

    /// <summary>
    /// One decision's row drops (<paramref name="ReceivedOn"/>: the instance of each, in the order of the times) and CPU:
    /// <paramref name="ConsoleCpu"/> of all consoles this program started, <paramref name="ConsoleCpuEach"/> of each.
    /// </summary>
    private sealed record RoundResult(
        int RequestId, IReadOnlyList<double> FromClick, IReadOnlyList<double>? FromCommit, IReadOnlyList<int> ReceivedOn, int Missing, int Failed,
        string? FirstFailure, double? ConsoleCpu, IReadOnlyList<double>? ConsoleCpuEach, double ClientCpu,
        double MachineBusy, double BatchBytes, double Edits, double Removals, double WindowMs);

    private sealed record StepResult(int Circuits, IReadOnlyList<RoundResult> Rounds, ConsoleMemory Memory)
    {
        public Percentiles Latency { get; } = Percentiles.Of(Rounds.SelectMany(r => r.FromCommit ?? r.FromClick));

        /// <summary>Row drops that never arrived: a p95 over the others alone would flatter the step.</summary>
        public int Missing => Rounds.Sum(r => r.Missing);

        public bool Met => Missing == 0 && Latency.P95 <= TargetP95Ms;

        /// <summary>The row drops on one instance's circuits, or null when none arrived there.</summary>
        public Percentiles? LatencyOn(int instance)
        {
            var times = Rounds.SelectMany(r => (r.FromCommit ?? r.FromClick).Where((_, i) => r.ReceivedOn[i] == instance)).ToList();
            return times.Count == 0 ? null : Percentiles.Of(times);
        }
    }
}
