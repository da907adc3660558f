using System.Diagnostics;
using EserSecurity.Benchmarks.Measurement;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Data;
using EserSecurity.Core.Reviews;
using EserSecurity.DemoState;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Benchmarks.Reviews;

/// <summary>
/// Access reviews at state scale, each round on fresh copies of the databases: a statewide review period opened by the
/// state administrator over the Full demo state and over a state grown to 200,000 active grants, and the sign-off of the
/// largest school system's review, which ends every grant marked to end in one transaction.
/// </summary>
internal sealed class ReviewBenchmark(BenchmarkOptions options)
{
    private const int SyntheticGrants = 200_000;
    private const double TargetSeconds = 10;

    /// <summary>Every tenth item is marked to end before the timed sign-off.</summary>
    private const int EndEvery = 10;

    private sealed record Round(
        int FullItems, TimeSpan FullOpen, int LargeItems, TimeSpan LargeOpen, string LargestCode, int Reviewed, int Ended, TimeSpan SignOff);

    public Task RunAsync(CancellationToken ct) => ScratchDatabases.InTemporaryFolderAsync("eser-bench-reviews-", directory => RunInAsync(directory, ct));

    private async Task RunInAsync(string directory, CancellationToken ct)
    {
        var full = Path.Combine(directory, "full.db");
        var large = Path.Combine(directory, "large.db");
        var stopwatch = Stopwatch.StartNew();
        Console.WriteLine($"Creating the Full demo state in {full} ...");
        await using (var services = CoreServices.Over(full, DemoStateSize.Full))
        {
            await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
            await using var db = await services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync(ct);
            // The demo state has a review in progress; the benchmark's statewide period opens one for every school system.
            await db.AccessReviews.ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, AccessReviewStatus.Completed), ct);
            await ScratchDatabases.CheckpointAsync(db, ct);
            Console.WriteLine($"  created in {stopwatch.Elapsed.TotalSeconds:0.0} s, {await db.AccessGrants.CountAsync(g => g.EndedAt == null, ct):N0} active grants");
        }
        SqliteConnection.ClearAllPools();
        File.Copy(full, large);
        stopwatch.Restart();
        await GrowAsync(large, ct);
        Console.WriteLine($"  grown to {SyntheticGrants:N0} active grants (copies of the Full state's grants) in {stopwatch.Elapsed.TotalSeconds:0.0} s");

        var rounds = new List<Round>();
        // Round 0 warms the JIT and is not reported.
        for (var round = 0; round <= options.Rounds; round++)
        {
            var result = await RunRoundAsync(directory, full, large, round, ct);
            if (round > 0)
            {
                rounds.Add(result);
                Console.WriteLine($"  round {round}: open Full {Seconds(result.FullOpen)} s, open {result.LargeItems:N0} {Seconds(result.LargeOpen)} s, " +
                    $"sign-off {result.LargestCode} {Seconds(result.SignOff)} s");
            }
        }
        Print(rounds);
    }

    private static async Task GrowAsync(string path, CancellationToken ct)
    {
        await using var services = CoreServices.Over(path, DemoStateSize.None);
        await using var db = await services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync(ct);
        var active = await db.AccessGrants.CountAsync(g => g.EndedAt == null, ct);
        while (active < SyntheticGrants)
        {
            // Copies of active grants (same people, roles and schools), as many as are still missing.
            active += await db.Database.ExecuteSqlAsync($"""
                INSERT INTO AccessGrants (StaffMemberId, EserRoleId, SchoolSystemId, SchoolId, Origin, AccessRequestId, GrantedAt, GrantedById, ConcurrencyToken)
                SELECT StaffMemberId, EserRoleId, SchoolSystemId, SchoolId, Origin, NULL, GrantedAt, GrantedById, lower(hex(randomblob(16)))
                FROM AccessGrants WHERE EndedAt IS NULL LIMIT {SyntheticGrants - active}
                """, ct);
        }
        await ScratchDatabases.CheckpointAsync(db, ct);
    }

    private static async Task<Round> RunRoundAsync(string directory, string full, string large, int round, CancellationToken ct)
    {
        var fullCopy = Path.Combine(directory, $"full-{round}.db");
        var largeCopy = Path.Combine(directory, $"large-{round}.db");
        File.Copy(full, fullCopy);
        File.Copy(large, largeCopy);
        try
        {
            var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30);
            int fullItems, largeItems;
            TimeSpan fullOpen, largeOpen, signOff;
            string code;
            CompletedReview completed;
            await using (var services = CoreServices.Over(fullCopy, DemoStateSize.None))
            {
                (fullItems, fullOpen) = await OpenStatewideAsync(services, due, ct);
                (code, completed, signOff) = await SignOffLargestAsync(services, ct);
            }
            await using (var services = CoreServices.Over(largeCopy, DemoStateSize.None))
            {
                (largeItems, largeOpen) = await OpenStatewideAsync(services, due, ct);
            }
            return new Round(fullItems, fullOpen, largeItems, largeOpen, code, completed.Reviewed, completed.Ended, signOff);
        }
        finally
        {
            ScratchDatabases.Delete(fullCopy);
            ScratchDatabases.Delete(largeCopy);
        }
    }

    private static async Task<(int Items, TimeSpan Time)> OpenStatewideAsync(IServiceProvider services, DateOnly due, CancellationToken ct)
    {
        var admin = await services.CallerAsync(DemoPeople.StateAdmin, ct);
        var reviews = services.GetRequiredService<AccessReviewService>();
        GC.Collect();
        var stopwatch = Stopwatch.StartNew();
        var opened = await reviews.OpenAsync(admin, new OpenReviewPeriod(null, due), ct);
        var time = stopwatch.Elapsed;
        if (opened.AlreadyOpen.Count > 0)
        {
            throw new InvalidOperationException($"Every school system should have been opened: {opened.Headline}.");
        }
        return (opened.Items, time);
    }

    /// <summary>Decides every item of the largest school system's review untimed (every tenth to end), then times the supervisor's sign-off.</summary>
    private static async Task<(string Code, CompletedReview Completed, TimeSpan Time)> SignOffLargestAsync(IServiceProvider services, CancellationToken ct)
    {
        var factory = services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>();
        int reviewId, supervisorId;
        string code;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            var largest = await db.AccessReviews.Where(r => r.Status == AccessReviewStatus.Open)
                .OrderByDescending(r => r.Items.Count).Select(r => new { r.Id, r.SchoolSystemId, r.SchoolSystem!.Code }).FirstAsync(ct);
            (reviewId, code) = (largest.Id, largest.Code);
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            var supervisor = await db.SupervisorAssignments.ActiveOn(today).Where(a => a.SchoolSystemId == largest.SchoolSystemId)
                .Select(a => (int?)a.StaffMemberId).FirstOrDefaultAsync(ct);
            if (supervisor is null)
            {
                var person = await db.StaffMembers.Where(s => s.SchoolSystemId == largest.SchoolSystemId).Select(s => s.Id).FirstAsync(ct);
                db.SupervisorAssignments.Add(new SupervisorAssignment { StaffMemberId = person, SchoolSystemId = largest.SchoolSystemId, StartsOn = today.AddDays(-1) });
                await db.SaveChangesAsync(ct);
                supervisor = person;
            }
            supervisorId = supervisor.Value;
            var now = DateTimeOffset.UtcNow;
            var items = db.AccessReviewItems.Where(i => i.AccessReviewId == reviewId);
            await items.ExecuteUpdateAsync(s => s.SetProperty(i => i.Decision, AccessReviewDecision.Keep)
                .SetProperty(i => i.DecidedById, supervisorId).SetProperty(i => i.DecidedAt, now), ct);
            await items.Where(i => i.Id % EndEvery == 0).ExecuteUpdateAsync(s => s.SetProperty(i => i.Decision, AccessReviewDecision.Revoke)
                .SetProperty(i => i.Note, "No longer needs this access."), ct);
            await items.Where(i => i.NeedsSupervisor).ExecuteUpdateAsync(s => s.SetProperty(i => i.SupervisorDecision, AccessReviewDecision.Keep)
                .SetProperty(i => i.SupervisorDecidedById, supervisorId).SetProperty(i => i.SupervisorDecidedAt, now), ct);
        }
        var caller = await services.CallerAsync(supervisorId, ct);
        var reviews = services.GetRequiredService<AccessReviewService>();
        var count = (await reviews.GetReviewAsync(caller, reviewId, ct)).Review.Items;
        GC.Collect();
        var stopwatch = Stopwatch.StartNew();
        var completed = await reviews.SignOffAsync(caller, reviewId, caller.DisplayName, count, ct);
        return (code, completed, stopwatch.Elapsed);
    }

    private static void Print(IReadOnlyList<Round> rounds)
    {
        double Median(Func<Round, TimeSpan> time) => Percentiles.Of(rounds.Select(r => time(r).TotalSeconds)).Median;
        var last = rounds[^1];
        var table = new ResultTable("operation (median of rounds)", "rows", "seconds", "rows/s");
        void Add(string name, int rows, double seconds) =>
            table.Add(name, ResultTable.Number(rows), Seconds(TimeSpan.FromSeconds(seconds)), ResultTable.Rate(rows / seconds));
        Add("open a statewide review, Full demo state (items)", last.FullItems, Median(r => r.FullOpen));
        Add($"open a statewide review, {SyntheticGrants:N0} active grants (items)", last.LargeItems, Median(r => r.LargeOpen));
        Add($"sign off the largest review ({last.LargestCode}; items reviewed)", last.Reviewed, Median(r => r.SignOff));
        Add($"  of which grants ended through GrantEnding, audited", last.Ended, Median(r => r.SignOff));
        Console.WriteLine();
        Console.WriteLine($"Access reviews, {rounds.Count} round(s), each on fresh copies of the databases:");
        Console.Write(table);
        Console.WriteLine();
        foreach (var (round, i) in rounds.Select((r, i) => (r, i + 1)))
        {
            Console.WriteLine($"Target: a statewide opening of {SyntheticGrants:N0} items within {TargetSeconds:0} s; round {i}: {Seconds(round.LargeOpen)} s: " +
                (round.LargeOpen.TotalSeconds <= TargetSeconds ? "met" : "NOT met"));
        }
        Console.WriteLine("""

            open:     AccessReviewService.OpenAsync as the state administrator, every school system: one review each, its items
                      copied from the active grants by one INSERT ... SELECT, one audit event per review, in one transaction.
            sign off: AccessReviewService.SignOffAsync by the school system's supervisor after every item was decided (every
                      tenth marked to end): each of those grants ends through GrantEnding with its audit event, in one transaction.
            """);
    }

    private static string Seconds(TimeSpan time) => ResultTable.Seconds(time, decimals: 3);
}
