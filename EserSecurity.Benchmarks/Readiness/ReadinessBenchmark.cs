using System.Diagnostics;
using EserSecurity.Benchmarks.Import;
using EserSecurity.Benchmarks.Measurement;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Data;
using EserSecurity.Core.Readiness;
using EserSecurity.Core.Roles;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Core.Tas;
using EserSecurity.DemoState;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Benchmarks.Readiness;

/// <summary>
/// The readiness board over grown TAS data: the Full demo state, a generated TAS User Report committed once through
/// <see cref="TasImportService"/> until the state records <see cref="BenchmarkOptions.Rows"/> TAS rows, then the
/// statewide board and the largest school system's board, each read right after a change that moves its figures (a
/// signature, as a live board reads on every relevant change) and read again with nothing changed.
/// </summary>
internal sealed class ReadinessBenchmark(BenchmarkOptions options)
{
    private const double TargetMs = 25;

    public Task RunAsync(CancellationToken ct) => ScratchDatabases.InTemporaryFolderAsync("eser-bench-readiness-", directory => RunInAsync(directory, ct));

    private async Task RunInAsync(string directory, CancellationToken ct)
    {
        var path = Path.Combine(directory, "readiness.db");
        var stopwatch = Stopwatch.StartNew();
        Console.WriteLine($"Creating the Full demo state in {path} ...");
        await using var services = CoreServices.Over(path, DemoStateSize.Full);
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
        Console.WriteLine($"  created in {stopwatch.Elapsed.TotalSeconds:0.0} s");

        var factory = services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>();
        var admin = await services.CallerAsync(DemoPeople.StateAdmin, ct);
        int before, after, largest, largestRows;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            before = await db.LegacySerAccess.CountAsync(ct);
            if (before < options.Rows)
            {
                stopwatch.Restart();
                var file = await UserReportGenerator.GenerateAsync(db, options.Rows - before, ct);
                var result = await services.GetRequiredService<TasImportService>().CommitAsync(admin, new MemoryStream(file), null, ct);
                Console.WriteLine($"  imported a User Report of {result.Added:N0} new rows in {stopwatch.Elapsed.TotalSeconds:0.0} s");
            }
            after = await db.LegacySerAccess.CountAsync(ct);
            var biggest = await db.LegacySerAccess.GroupBy(l => l.SchoolSystemId).OrderByDescending(g => g.Count())
                .Select(g => new { g.Key, Rows = g.Count() }).FirstAsync(ct);
            (largest, largestRows) = (biggest.Key, biggest.Rows);
            await db.Database.ExecuteSqlRawAsync("PRAGMA optimize;", ct);
        }

        var readiness = services.GetRequiredService<ReadinessService>();
        var assurance = services.GetRequiredService<AssuranceService>();
        var scenarios = new (string Name, Func<Task> Read)[]
        {
            ("board: every school system (state administrator)", () => readiness.GetBoardAsync(admin, ct: ct)),
            ($"one school system's schools (the largest, {largestRows:N0} TAS rows)", () => readiness.GetSchoolSystemAsync(admin, largest, ct: ct)),
        };
        // The change before each timed read is a real one that moves both boards' figures: a person TAS lists in the
        // largest school system signs this year's assurance, through the service, audited, as on the signing page.
        var signers = await UnsignedPeopleAsync(services, largest, scenarios.Length * options.Rounds, ct);
        if (signers.Count < scenarios.Length * options.Rounds)
        {
            throw new InvalidOperationException($"Only {signers.Count} people in the largest school system have not signed: fewer rounds, please.");
        }
        var statement = (await assurance.GetSigningViewAsync(signers[0], ct)).Statement
            ?? throw new InvalidOperationException("The Full demo state has no assurance statement for this school year.");
        var acknowledged = Enumerable.Range(0, statement.Acknowledgements.Count).ToList();

        var table = new ResultTable("readiness read", "reads", "p50 ms", "p95 ms", "max ms");
        var next = 0;
        foreach (var (name, read) in scenarios)
        {
            await read();
            var afterChange = new List<double>();
            var unchanged = new List<double>();
            for (var i = 0; i < options.Rounds; i++)
            {
                var signer = signers[next++];
                await assurance.SignAsync(signer, new SignatureRequest(statement.Id, acknowledged, signer.DisplayName, null, null), ct);
                afterChange.Add(await TimeAsync(read));
                unchanged.Add(await TimeAsync(read));
            }
            var changed = Percentiles.Of(afterChange);
            var same = Percentiles.Of(unchanged);
            table.Add(name, "", "", "", "");
            table.Add("  right after a change that moves its figures", ResultTable.Number(changed.Count), ResultTable.Ms(changed.Median),
                ResultTable.Ms(changed.P95), ResultTable.Ms(changed.Max));
            table.Add("  again, nothing changed", ResultTable.Number(same.Count), ResultTable.Ms(same.Median), ResultTable.Ms(same.P95),
                ResultTable.Ms(same.Max));
        }
        Console.WriteLine();
        Console.WriteLine($"Readiness over the Full demo state grown to {after:N0} TAS rows ({before:N0} before), {options.Rounds} rounds:");
        Console.Write(table);
        Console.WriteLine($"Target: the statewide board at most {TargetMs:0} ms p50 at 120,000 TAS rows.");
    }

    /// <summary>People TAS lists in the school system, still employed, who have not signed this school year's assurance.</summary>
    private static async Task<List<Caller>> UnsignedPeopleAsync(IServiceProvider services, int schoolSystemId, int count, CancellationToken ct)
    {
        var year = SchoolYear.Containing(DateOnly.FromDateTime(DateTime.UtcNow));
        await using var db = await services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync(ct);
        return await db.StaffMembers.AsNoTracking()
            .Where(s => s.EmploymentStatus == EmploymentStatus.Active
                && db.LegacySerAccess.Any(l => l.StaffMemberId == s.Id && l.SchoolSystemId == schoolSystemId && l.TasStatus == LegacySerAccess.ActiveStatus)
                && !db.AssuranceSignatures.Any(a => a.StaffMemberId == s.Id && a.SchoolYear == year.StartYear))
            .OrderBy(s => s.Id).Take(count)
            .Select(s => new Caller(s.Id, s.FirstName + " " + s.LastName))
            .ToListAsync(ct);
    }

    private static async Task<double> TimeAsync(Func<Task> read)
    {
        var started = Stopwatch.GetTimestamp();
        await read();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
}
