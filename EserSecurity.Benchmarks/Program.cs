using System.Runtime.InteropServices;
using EserSecurity.Benchmarks;
using EserSecurity.Benchmarks.Api;
using EserSecurity.Benchmarks.Audit;
using EserSecurity.Benchmarks.Circuits;
using EserSecurity.Benchmarks.Directories;
using EserSecurity.Benchmarks.Documents;
using EserSecurity.Benchmarks.Ending;
using EserSecurity.Benchmarks.Import;
using EserSecurity.Benchmarks.Live;
using EserSecurity.Benchmarks.Measurement;
using EserSecurity.Benchmarks.Notifications;
using EserSecurity.Benchmarks.Queue;
using EserSecurity.Benchmarks.Readiness;
using EserSecurity.Benchmarks.Retention;
using EserSecurity.Benchmarks.Reviews;

const string Usage = """
    Usage: dotnet run -c Release --project EserSecurity.Benchmarks -- <command> [options]

      queue [--iterations N] [--warmups N]   queue reads at state scale
                                             (default 50 timed runs after 5 warm-ups; at most 1000 and 100)
      live  [--rounds N] [--pages N]         live-update latency through the real console and Chromium
                                             (default 10 timed rounds after 3 warm-up rounds, 20 observing pages;
                                             at most 100 rounds and 50 pages)
      circuits [--counts N,N,...] [--decisions N] [--shared on|off] [--url URL]
               [--instances N] [--provider sqlite|postgres] [--urls URL,URL]
                                             open queue circuits held by a headless client (SignalR, no rendering) over
                                             the Full state, ramped through the counts (default 100,1000,2000,3000,5000;
                                             at most 20,000): decision -> render batch that drops the row on every
                                             circuit (p50/p95/max), the console's memory per circuit, console and client
                                             CPU; --decisions timed per count (default 5, at most 100), --shared on|off
                                             the console's shared queue reads (default on), --url a console already running
                                             (--urls several, circuits spread over them in turn); --instances 2 starts two
                                             consoles over one database in a PostgreSQL 15 cluster of the run's own and
                                             reports per instance, --provider postgres one console over it (default sqlite)
      ending [--rounds N] [--pages N]        taking access away through the real console and Chromium: a coordinator
                                             ends a grant, then an employment; time until the person's open pages show it
                                             (default 10 timed rounds of each after 2 warm-ups, 5 pages of the person;
                                             at most 30 rounds and 20 pages)
      documents [--rounds N]                 one-pagers per second on one thread over the Full state, and the
                                             authorized-user list of the largest school system (default 5 rounds)
      import [--rows N] [--rounds N]         TAS User Report preview and commit over the Full state, next to a raw
                                             Microsoft.Data.Sqlite insert loop of the same rows, each round on a fresh
                                             copy of the database (default 100,000 rows, at most 250,000; 3 rounds)
      directory [--rows N] [--rounds N]      staff directory import (preview and commit) over the Full state: every
                                             person already there, some changed, the rest new; next to a raw
                                             Microsoft.Data.Sqlite insert loop of the same rows, each round on a fresh
                                             copy (default 100,000 rows, at most 250,000; 3 rounds)
      reviews [--rounds N]                   a statewide access review opened over the Full state and over 200,000
                                             active grants, and the sign-off of the largest school system's review,
                                             each round on fresh copies (default 3 rounds, at most 10)
      api [--rounds N]                       the access API through the real console over the Full state: a person's
                                             decision as fast as 8 clients can ask (10 s) and at a fixed 500 requests/s
                                             (20 s) per round, then a client catching up on 100,000 changes
                                             (default 3 rounds, at most 10)
      notify [--rounds N]                    10,000 notices e-mailed by the console's mail sender to an SMTP server
                                             on loopback in this process: messages per second (default 3 rounds, at most 10)
      decision-notify [--rounds N] [--decisions N] [--mail on|off]
                                             what notifications cost a decision: server time of coordinator approvals over
                                             the Full state with notifications on (notice written, e-mailed at once to an
                                             SMTP server on loopback in this process) and off, alternating on the same
                                             database: p50/p95/max and the ratio of the p95s (default 4 rounds of each
                                             way, at most 20; 500 decisions a round, at most 2,000); --mail off keeps the
                                             mail sender stopped, to set the notice's own cost apart from the sender's
      archive [--rounds N]                   the seven-year archive over the Full state under seven school years of
                                             ended history (105,000 decided requests, 84,000 ended grants, 200,000
                                             signatures, 580,000 audit events): the archive run (rows/s, batches,
                                             file sizes, peak working set) and the full verification afterwards, each
                                             round on a fresh copy (default 1 round, at most 5)
      audit-verify [--events N] [--rounds N] verifying the audit chain: a temporary database filled in bulk with chained
                                             keyed events, then the whole chain verified as the daily check does: time,
                                             events per second, peak working set and managed heap (default 1,000,000
                                             events, at most 5,000,000; 3 rounds, at most 10)
      readiness [--rows N] [--rounds N]      the readiness board over the Full state with its TAS data grown once (by a
                                             committed User Report) to N rows: the statewide board and the largest school
                                             system's board, each right after a change that moves its figures and again
                                             with nothing changed: p50/p95 (default 120,000 rows, at most 300,000;
                                             20 rounds, at most 200)

    Build first: dotnet build -c Release (the live, circuits, ending and api commands run the Dashboard from its Release build output).
    """;

using var stop = new CancellationTokenSource();
// Ctrl+C or a TERM signal unwinds through the benchmarks' cleanup, so the console process and the browser never outlive
// a run; a second Ctrl+C ends the program at once.
void Stop(PosixSignalContext signal)
{
    if (!stop.IsCancellationRequested)
    {
        signal.Cancel = true;
        stop.Cancel();
    }
}
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

try
{
    var options = BenchmarkOptions.Parse(args);
    Console.WriteLine($"Machine at start: {MachineLoad.Describe()}");
    switch (options.Command)
    {
        case BenchmarkCommand.Queue:
            await new QueueBenchmark(options).RunAsync(stop.Token);
            break;
        case BenchmarkCommand.Live:
            await new LiveUpdateBenchmark(options).RunAsync(stop.Token);
            break;
        case BenchmarkCommand.Circuits:
            await new CircuitLoadBenchmark(CircuitLoadOptions.Parse(args)).RunAsync(stop.Token);
            break;
        case BenchmarkCommand.Ending:
            await new EndingBenchmark(options).RunAsync(stop.Token);
            break;
        case BenchmarkCommand.Documents:
            await new DocumentBenchmark(options).RunAsync(stop.Token);
            break;
        case BenchmarkCommand.Import:
            await new ImportBenchmark(options).RunAsync(stop.Token);
            break;
        case BenchmarkCommand.Directory:
            await new DirectoryBenchmark(options).RunAsync(stop.Token);
            break;
        case BenchmarkCommand.Reviews:
            await new ReviewBenchmark(options).RunAsync(stop.Token);
            break;
        case BenchmarkCommand.Api:
            await new ApiBenchmark(options).RunAsync(stop.Token);
            break;
        case BenchmarkCommand.Notify:
            await new NotifyBenchmark(options).RunAsync(stop.Token);
            break;
        case BenchmarkCommand.DecisionNotify:
            await new DecisionNotifyBenchmark(options).RunAsync(stop.Token);
            break;
        case BenchmarkCommand.Archive:
            await new ArchiveBenchmark(options).RunAsync(stop.Token);
            break;
        case BenchmarkCommand.AuditVerify:
            await new AuditVerifyBenchmark(options).RunAsync(stop.Token);
            break;
        case BenchmarkCommand.Readiness:
            await new ReadinessBenchmark(options).RunAsync(stop.Token);
            break;
    }
    Console.WriteLine($"Machine at end:   {MachineLoad.Describe()}");
    return 0;
}
catch (BenchmarkUsageException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}
catch (Exception) when (stop.IsCancellationRequested)
{
    // Ctrl+C reaches the browser and the console too, so whatever failed after it is part of stopping.
    Console.Error.WriteLine("Stopped.");
    return 130;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"The benchmark could not run: {ex}");
    return 1;
}
