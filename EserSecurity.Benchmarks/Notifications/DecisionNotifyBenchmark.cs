using System.Diagnostics;
using EserSecurity.Benchmarks.Measurement;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Data;
using EserSecurity.Core.Notifications;
using EserSecurity.Core.Security;
using EserSecurity.DemoState;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Benchmarks.Notifications;

/// <summary>
/// What notifications cost a decision (issue 17's target: a decision's p95 server time at most 10 % higher with them).
/// The demo district coordinator approves pending requests over the Full demo state through
/// <see cref="AccessRequestService.DecideAsync"/>, timed call by call, with two sets of Core services over the same
/// database: one with notifications on, whose mail sender runs as in the console and e-mails the requesters' notices to
/// an SMTP server on loopback in this process, and one with <see cref="NotificationOptions.Enabled"/> false. Rounds alternate
/// (on, off, then off, on, …) so that the machine's noise and the database's growth fall on both.
/// </summary>
internal sealed class DecisionNotifyBenchmark(BenchmarkOptions options)
{
    private const double Target = 1.10;

    /// <summary>How long the mail sender may take to send a round's notices before the next round starts.</summary>
    private static readonly TimeSpan MailPatience = TimeSpan.FromMinutes(2);

    private sealed record Round(
        int Number, bool Notifications, Percentiles Times, IReadOnlyList<double> Samples, int Notices, int Mailed, TimeSpan MailDoneAfter, Collections Collections);

    /// <summary>
    /// The garbage collections during a round's decisions: how many, their pauses in all, the largest amount one of them
    /// kept alive (promoted), and the pause the round's slowest 5 % of decisions sat through on average. A collection stops
    /// every thread, a decision included, for as long as it copies what survives; the mail sender's and the SMTP server's
    /// work in the process adds to that.
    /// </summary>
    private sealed record Collections(int Count, double PauseMs, long MostPromoted, double SlowestPauseMs);

    public async Task RunAsync(CancellationToken ct)
    {
        await using var smtp = new SmtpSink();
        await ScratchDatabases.InTemporaryFolderAsync("eser-bench-decision-notify", async folder =>
        {
            var path = Path.Combine(folder, "decisions.db");
            void Mail(IServiceCollection services) =>
                services.Configure<MailOptions>(m => (m.Host, m.Port, m.Security) = ("127.0.0.1", smtp.Port, SecureSocketOptions.None));
            await using var on = CoreServices.Over(path, DemoStateSize.Full, Mail);
            Console.WriteLine($"Creating the Full demo state in {path} ...");
            var stopwatch = Stopwatch.StartNew();
            await on.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
            Console.WriteLine($"  created in {stopwatch.Elapsed.TotalSeconds:0.0} s");
            await using var off = CoreServices.Over(path, DemoStateSize.None, services =>
            {
                Mail(services);
                services.Configure<NotificationOptions>(n => n.Enabled = false);
            });

            var coordinator = await on.CallerAsync(DemoPeople.DistrictCoordinator, ct);
            var schoolSystemId = (await on.GetRequiredService<ScopeService>().GetScopeAsync(coordinator, ct)).DistrictSchoolSystemIds.Single();
            // A whole round each way: the first decisions of a process run slower (the JIT's later tiers come in over
            // hundreds of calls), and that would fall on whichever way goes first.
            var warmups = options.Iterations;
            var needed = 2 * warmups + 2 * options.Rounds * options.Iterations;
            var dbFactory = on.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>();
            var pending = await DecisionRequests.AddAsync(dbFactory, schoolSystemId, needed, on.GetRequiredService<TimeProvider>(), ct);
            Console.WriteLine($"  added {needed:N0} pending requests for roles without IEP Forms in {DemoPeople.DistrictCoordinator}'s school system");
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                // The build's write-ahead log would otherwise be checkpointed by the first timed commits.
                await ScratchDatabases.CheckpointAsync(db, ct);
                Console.WriteLine($"  the state: {await db.StaffMembers.CountAsync(ct):N0} staff members, {await db.AccessGrants.CountAsync(g => g.EndedAt == null, ct):N0} active grants, " +
                    $"{await db.AccessRequests.CountAsync(ct):N0} access requests, {await db.Notifications.CountAsync(ct):N0} notices, {await db.AuditEvents.CountAsync(ct):N0} audit events");
            }

            // The console with notifications runs its mail sender (unless --mail off); the one without has nothing to send.
            using var delivery = ActivatorUtilities.CreateInstance<NotificationMailDelivery>(on);
            if (options.MailSender)
            {
                await delivery.StartAsync(ct);
            }
            try
            {
                await RoundAsync(on, true, 0, warmups, pending, coordinator, dbFactory, smtp, ct);
                await RoundAsync(off, false, 0, warmups, pending, coordinator, dbFactory, smtp, ct);
                var rounds = new List<Round>();
                for (var number = 1; number <= options.Rounds; number++)
                {
                    // On first in odd rounds, off first in even ones: neither always follows the other.
                    foreach (var notifications in number % 2 == 1 ? new[] { true, false } : [false, true])
                    {
                        rounds.Add(await RoundAsync(notifications ? on : off, notifications, number, options.Iterations, pending, coordinator, dbFactory, smtp, ct));
                    }
                }
                Print(rounds, warmups);
                if (!options.MailSender)
                {
                    await SendWaitingAsync(on.GetRequiredService<NotificationMailer>(), dbFactory, smtp, ct);
                }
            }
            finally
            {
                if (options.MailSender)
                {
                    await delivery.StopAsync(CancellationToken.None);
                }
            }
        });
    }

    private async Task<Round> RoundAsync(
        IServiceProvider services, bool notifications, int number, int decisions, Queue<int> pending, Caller coordinator,
        IDbContextFactory<EserSecurityDbContext> dbFactory, SmtpSink smtp, CancellationToken ct)
    {
        var requests = services.GetRequiredService<AccessRequestService>();
        var noticesBefore = await CountAsync(dbFactory, null, ct);
        smtp.Clear();
        // The previous round's garbage is not this round's.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var times = new List<double>(decisions);
        var pauses = new List<double>(decisions);
        var collectionsBefore = GC.CollectionCount(0);
        var pausedBefore = GC.GetTotalPauseDuration();
        var mostPromoted = 0L;
        for (var i = 0; i < decisions; i++)
        {
            var id = pending.Dequeue();
            var paused = GC.GetTotalPauseDuration();
            var started = Stopwatch.GetTimestamp();
            var outcome = await requests.DecideAsync(coordinator, id, Decision.Approve, null, ct: ct);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            pauses.Add((GC.GetTotalPauseDuration() - paused).TotalMilliseconds);
            if (pauses[^1] > 0)
            {
                mostPromoted = Math.Max(mostPromoted, GC.GetGCMemoryInfo(GCKind.Any).PromotedBytes);
            }
            if (outcome.Status != AccessRequestStatus.Approved)
            {
                throw new InvalidOperationException($"Request #{id} was not approved: {outcome.Message}");
            }
        }
        var lastDecision = Stopwatch.GetTimestamp();
        var percentiles = Percentiles.Of(times);
        var slowest = Enumerable.Range(0, times.Count).Where(i => times[i] >= percentiles.P95).Select(i => pauses[i]).ToList();
        var collections = new Collections(GC.CollectionCount(0) - collectionsBefore, (GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds,
            mostPromoted, slowest.Average());
        // Mail still going out would fall on the next round: wait until every notice written is sent (or has no address).
        while (options.MailSender && await CountAsync(dbFactory, MailState.AtOnce, ct) > 0)
        {
            if (Stopwatch.GetElapsedTime(lastDecision) > MailPatience)
            {
                throw new InvalidOperationException($"The mail sender had not sent round {number}'s notices {MailPatience.TotalMinutes:0} minutes after its last decision.");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(10), ct);
        }
        var mailDoneAfter = Stopwatch.GetElapsedTime(lastDecision);
        var notices = await CountAsync(dbFactory, null, ct) - noticesBefore;
        if (notifications ? notices != decisions : notices != 0)
        {
            throw new InvalidOperationException($"Round {number} with notifications {(notifications ? "on" : "off")} wrote {notices:N0} notices for {decisions:N0} decisions.");
        }
        return new Round(number, notifications, percentiles, times, notices, smtp.Received, mailDoneAfter, collections);
    }

    /// <summary>
    /// With the sender stopped (--mail off) the rounds' notices wait: sends them pass by pass, alone in the process, and
    /// prints what a pass costs (the sender's work and the sink's small share): the time and the process's CPU per message,
    /// and the bytes allocated in all, per message, and by type.
    /// </summary>
    private static async Task SendWaitingAsync(
        NotificationMailer mailer, IDbContextFactory<EserSecurityDbContext> dbFactory, SmtpSink smtp, CancellationToken ct)
    {
        using var sampler = new AllocationSampler();
        smtp.Clear();
        var passes = new List<(int Sent, long Bytes, TimeSpan Took, TimeSpan Cpu)>();
        using var process = Process.GetCurrentProcess();
        var first = true;
        long total = 0;
        var gcs = GC.CollectionCount(0);
        sampler.Start();
        while (await CountAsync(dbFactory, MailState.AtOnce, ct) > 0)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var started = Stopwatch.GetTimestamp();
            var pass = await mailer.SendDueAsync(ct);
            var took = Stopwatch.GetElapsedTime(started);
            process.Refresh();
            cpu = process.TotalProcessorTime - cpu;
            var bytes = GC.GetTotalAllocatedBytes(precise: true) - before;
            // The first pass pays for the sender's first use (its queries compiled, MailKit's first connection).
            if (!first)
            {
                passes.Add((pass.Sent, bytes, took, cpu));
                total += bytes;
            }
            first = false;
        }
        var types = sampler.Stop();
        gcs = GC.CollectionCount(0) - gcs;
        var sent = passes.Sum(p => p.Sent);
        Console.WriteLine();
        Console.WriteLine($"The waiting notices sent afterwards, pass by pass with nothing else running ({passes.Count} passes after the first, {sent:N0} messages, {smtp.Received:N0} accepted by the relay):");
        Console.WriteLine($"  allocated {total / 1024.0 / 1024.0:0.0} MB, {(sent == 0 ? 0 : total / 1024.0 / sent):0.0} KB per message; {passes.Sum(p => p.Took.TotalMilliseconds) / Math.Max(1, sent):0.00} ms per message, of which CPU {passes.Sum(p => p.Cpu.TotalMilliseconds) / Math.Max(1, sent):0.00} ms; {gcs} GCs");
        var sampled = types.Sum(t => t.Bytes);
        Console.WriteLine("  by type (the runtime's allocation samples, every pass including the first):");
        foreach (var (type, bytes) in types.Take(15))
        {
            Console.WriteLine($"    {100.0 * bytes / Math.Max(1, sampled),5:0.0} %  {type}");
        }
    }

    private static async Task<int> CountAsync(IDbContextFactory<EserSecurityDbContext> dbFactory, MailState? mail, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return mail is { } state ? await db.Notifications.CountAsync(n => n.Mail == state, ct) : await db.Notifications.CountAsync(ct);
    }

    private void Print(IReadOnlyList<Round> rounds, int warmups)
    {
        static string Way(bool notifications) => notifications ? "on" : "off";
        var table = new ResultTable(
            "round", "notifications", "decisions", "p50", "p95", "max", "notices", "e-mailed", "mail sent by", "GCs", "GC pause", "most promoted", "slowest 5 %: GC pause");
        foreach (var round in rounds)
        {
            table.Add($"{round.Number}", Way(round.Notifications), ResultTable.Number(round.Times.Count), ResultTable.Ms(round.Times.Median),
                ResultTable.Ms(round.Times.P95), ResultTable.Ms(round.Times.Max), ResultTable.Number(round.Notices), ResultTable.Number(round.Mailed),
                round.Notifications && options.MailSender ? $"+{round.MailDoneAfter.TotalMilliseconds:0} ms" : "",
                ResultTable.Number(round.Collections.Count), ResultTable.Ms(round.Collections.PauseMs, 0), $"{round.Collections.MostPromoted / 1024.0 / 1024.0:0.0} MB",
                ResultTable.Ms(round.Collections.SlowestPauseMs));
        }
        Console.WriteLine();
        Console.WriteLine($"Decision server time per round, after a warm-up round of {warmups} decisions each way (milliseconds):");
        Console.Write(table);

        var all = new ResultTable("notifications", "decisions", "p50", "p95", "max");
        var both = new[] { true, false }.ToDictionary(way => way, way => Percentiles.Of(rounds.Where(r => r.Notifications == way).SelectMany(r => r.Samples)));
        foreach (var (way, times) in both)
        {
            all.Add(Way(way), ResultTable.Number(times.Count), ResultTable.Ms(times.Median), ResultTable.Ms(times.P95), ResultTable.Ms(times.Max));
        }
        Console.WriteLine();
        Console.WriteLine($"All {options.Rounds} rounds of each way together (milliseconds):");
        Console.Write(all);
        var ratio = both[true].P95 / both[false].P95;
        var perRound = rounds.GroupBy(r => r.Number).Select(g => g.Single(r => r.Notifications).Times.P95 / g.Single(r => !r.Notifications).Times.P95);
        Console.WriteLine();
        Console.WriteLine($"p95 on / off: {ratio:0.00}x ({(ratio - 1) * 100:+0.0;-0.0} %), target at most {Target:0.00}x: {(ratio <= Target ? "met" : "not met")}");
        Console.WriteLine($"p50 on / off: {both[true].Median / both[false].Median:0.00}x; p95 on / off per round: {string.Join(", ", perRound.Select(r => $"{r:0.00}x"))}");
        Console.WriteLine($"""

            Each decision is AccessRequestService.DecideAsync approving one pending request as {DemoPeople.DistrictCoordinator}: its scope,
            the request's facts, the conditional update, the step, the grant, the audit events and the commit, on a fresh pooled context.
            GCs, GC pause: the garbage collections during the round's decisions and their pauses in all (ms); most promoted: the
            most one of them kept alive; slowest 5 % GC pause: the average pause inside the round's decisions at or over its p95.
            on:  the requester's notice is saved with the decision's step (their e-mail choice and address read in the decision's
                 query of the request), and the bell and the mail sender are told after the commit.
            """);
        Console.WriteLine(options.MailSender
            ? """
                   The mail sender runs in this process meanwhile as in the console, with the console's defaults: its passes
                   wait while decisions keep coming (Mail:YieldFor, at most Mail:YieldAtMost), the notices gather for
                   Mail:GatherFor, and a pass's claim and mark take the database's write lock too; the SMTP server's work is
                   in this process as well. "mail sent by": when the round's last notice was sent, after its last decision;
                   the next round starts only then.
              """
            : """
                   The mail sender is stopped (--mail off): the notices wait unsent, so the figures are the notice's own cost.
              """);
        Console.WriteLine("""
            off: Notifications:Enabled false, over the same database. The outbox writes nothing; the decision's query of the request
                 reads the notice's facts either way.
            """);
    }
}
