using System.IO.Compression;
using EserSecurity.Core;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Retention;
using EserSecurity.Core.Security;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using EserSecurity.Core.Scheduling;

namespace EserSecurity.Tests.Core.Retention;

/// <summary>
/// The seven-year archive: records that ended more than seven years after the end of their school year leave the live
/// tables for keyed, linked archive files; they stay retrievable, and the audit chain verifies across archive and live log.
/// </summary>
public sealed class RetentionArchiveTests : IDisposable
{
    private static readonly DateTimeOffset EightYearsAgo = TestDatabase.DefaultNow.AddYears(-8);
    private static readonly DateTimeOffset SevenYearsLessADayAgo = TestDatabase.DefaultNow.AddYears(-7).AddDays(1);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"eser-archive-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private sealed record History(TestDatabase Database, TestState State, int OldRequest, int OldGrant, int OldAssignment, int OldSignature, int RecentRequest, int RecentGrant);

    /// <summary>A request approved and its grant ended, a coordinator named and ended, a signature: eight years ago; another request and grant a day short of seven years ago.</summary>
    private static async Task<History> HistoryAsync(DateTimeOffset? now = null)
    {
        var database = await TestDatabase.CreateAsync(now: EightYearsAgo);
        var state = await TestState.CreateAsync(database);
        await using (var db = await database.OpenAsync())
        {
            // The test state's people hold their roles from 2026; this history needs them eight years earlier.
            var since = DateOnly.FromDateTime(EightYearsAgo.UtcDateTime).AddMonths(-1);
            await db.CoordinatorAssignments.ExecuteUpdateAsync(s => s.SetProperty(a => a.StartsOn, since));
            await db.SupervisorAssignments.ExecuteUpdateAsync(s => s.SetProperty(a => a.StartsOn, since));
            await db.StateAdministrators.ExecuteUpdateAsync(s => s.SetProperty(a => a.StartsOn, since));
        }
        var (oldRequest, oldGrant) = await ApproveAndEndAsync(database, state);
        var coordinators = database.Get<CoordinatorService>();
        var assignment = await coordinators.AssignLocalCoordinatorAsync(
            TestState.CallerFor(state.DistrictA), state.LeaA.Id, state.UserA3.Id, new LocalCoverage(state.A3.Id, null));
        await coordinators.EndCoordinatorAsync(TestState.CallerFor(state.DistrictA), assignment, "Moved to another school system.");
        await TestState.SignThisYearAsync(database, state.UserA1);
        await using (var db = await database.OpenAsync())
        {
            var signature = await db.AssuranceSignatures.SingleAsync(s => s.StaffMemberId == state.UserA1.Id);
            database.Clock.SetUtcNow(SevenYearsLessADayAgo);
            var (recentRequest, recentGrant) = await ApproveAndEndAsync(database, state);
            database.Clock.SetUtcNow(now ?? TestDatabase.DefaultNow);
            return new History(database, state, oldRequest, oldGrant, assignment, signature.Id, recentRequest, recentGrant);
        }
    }

    private static async Task<(int Request, int Grant)> ApproveAndEndAsync(TestDatabase database, TestState state)
    {
        var requests = database.Get<AccessRequestService>();
        var id = await requests.SubmitAsync(TestState.CallerFor(state.UserA1), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "I enter evaluations."));
        var outcome = await requests.DecideAsync(TestState.CallerFor(state.DistrictA), id, Decision.Approve, null);
        Assert.True(outcome.Succeeded, outcome.Message);
        await using var db = await database.OpenAsync();
        var grant = await db.AccessGrants.AsNoTracking().SingleAsync(g => g.AccessRequestId == id);
        await database.Get<GrantService>().EndAsync(TestState.CallerFor(state.DistrictA), grant.Id, "No longer enters evaluations.");
        return (id, grant.Id);
    }

    private RetentionArchive ArchiveFor(TestDatabase database, int batchSize = 20_000) =>
        new(database.Factory, database.Get<ScopeService>(), database.Get<AuditLog>(), database.Get<AuditChainKey>(),
            Options.Create(new RetentionOptions { Folder = _folder, BatchSize = batchSize }), database.Clock, NullLogger<RetentionArchive>.Instance);

    private static async Task<(bool OldRequest, bool OldGrant, bool OldAssignment, bool OldSignature, bool RecentRequest, bool RecentGrant)> LiveAsync(History history)
    {
        await using var db = await history.Database.OpenAsync();
        return (await db.AccessRequests.AnyAsync(r => r.Id == history.OldRequest), await db.AccessGrants.AnyAsync(g => g.Id == history.OldGrant),
            await db.CoordinatorAssignments.AnyAsync(a => a.Id == history.OldAssignment), await db.AssuranceSignatures.AnyAsync(s => s.Id == history.OldSignature),
            await db.AccessRequests.AnyAsync(r => r.Id == history.RecentRequest), await db.AccessGrants.AnyAsync(g => g.Id == history.RecentGrant));
    }

    private async Task<List<string>> LinesAsync()
    {
        var lines = new List<string>();
        foreach (var file in Directory.EnumerateFiles(_folder, "*.jsonl.gz").Order())
        {
            await using var gzip = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
            using var reader = new StreamReader(gzip);
            while (await reader.ReadLineAsync() is { } line)
            {
                lines.Add(line);
            }
        }
        return lines;
    }

    [Fact]
    public async Task Archive_WhenRecordsEndedEightYearsAgo_MovesThemOutOfTheLiveTables_AndKeepsThoseEndedSevenYearsLessADayAgo()
    {
        var history = await HistoryAsync();
        await using var _ = history.Database;
        long auditBefore;
        await using (var db = await history.Database.OpenAsync())
        {
            auditBefore = await db.AuditEvents.CountAsync(e => e.At < new DateTimeOffset(2019, 7, 1, 0, 0, 0, TimeSpan.Zero));
        }

        var run = await ArchiveFor(history.Database).RunAsync();

        Assert.Equal(new DateTimeOffset(2019, 7, 1, 0, 0, 0, TimeSpan.Zero), run.Cutoff.At);
        Assert.Equal((false, false, false, false, true, true), await LiveAsync(history));
        await using (var db = await history.Database.OpenAsync())
        {
            Assert.False(await db.AccessRequestSteps.AnyAsync(s => s.AccessRequestId == history.OldRequest));
            Assert.True(await db.AccessRequestSteps.AnyAsync(s => s.AccessRequestId == history.RecentRequest));
            Assert.False(await db.AuditEvents.AnyAsync(e => e.At < run.Cutoff.At));
            Assert.Equal(auditBefore, run.AuditEvents);
            var batch = await db.ArchiveBatches.SingleAsync();
            Assert.Equal((long?)auditBefore, batch.AuditLastSequence);
            var recorded = await db.AuditEvents.SingleAsync(e => e.Action == RetentionArchive.BatchAction);
            Assert.Contains(batch.ManifestKeyedHash, recorded.After);
        }
        var lines = await LinesAsync();
        Assert.Contains(lines, l => l.StartsWith($"{{\"kind\":\"access-request\",\"id\":\"{history.OldRequest}\",\"personIds\":[", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{{\"kind\":\"access-grant\",\"id\":\"{history.OldGrant}\",", StringComparison.Ordinal)
            && l.Contains($"\"endReason\":\"Manual\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{{\"kind\":\"coordinator-assignment\",\"id\":\"{history.OldAssignment}\",", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{{\"kind\":\"assurance-signature\",\"id\":\"{history.OldSignature}\",", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains($"\"kind\":\"access-grant\",\"id\":\"{history.RecentGrant}\"", StringComparison.Ordinal));
        Assert.Single(Directory.EnumerateFiles(_folder, "*.manifest.json"));
    }

    [Fact]
    public async Task ReadForPerson_AfterTheArchive_ReturnsTheirArchivedRecordsAndAuditEvents_ToStateAdministratorsOnly()
    {
        var history = await HistoryAsync();
        await using var _ = history.Database;
        var archive = ArchiveFor(history.Database);
        await archive.RunAsync();

        var person = await archive.ReadForPersonAsync(TestState.CallerFor(history.State.StateAdmin), history.State.UserA1.Id);

        Assert.Contains(person.Records, r => r.Kind == ArchiveKinds.AccessRequest && r.Id == history.OldRequest.ToString());
        Assert.Contains(person.Records, r => r.Kind == ArchiveKinds.AccessGrant && r.Id == history.OldGrant.ToString() && r.SchoolSystemId == history.State.LeaA.Id);
        Assert.Contains(person.Records, r => r.Kind == ArchiveKinds.AssuranceSignature && r.Json.Contains("\"verificationCode\":", StringComparison.Ordinal));
        Assert.DoesNotContain(person.Records, r => r.Kind == ArchiveKinds.CoordinatorAssignment);
        Assert.Contains(person.AuditEvents, e => e.Event.Action == "AccessRequest.Submitted" && e.Event.ActorId == history.State.UserA1.Id);
        Assert.Contains(person.AuditEvents, e => e.Event.Action == "AccessGrant.Ended" && e.Event.EntityId == history.OldGrant.ToString()
            && e.Event.ActorId == history.State.DistrictA.Id && e.BatchFile.EndsWith(".jsonl.gz", StringComparison.Ordinal));
        Assert.All(person.AuditEvents, e => Assert.Equal(64, e.Event.Hash.Length));
        var coordinator = await archive.ReadForPersonAsync(TestState.CallerFor(history.State.StateAdmin), history.State.UserA3.Id);
        Assert.Contains(coordinator.Records, r => r.Kind == ArchiveKinds.CoordinatorAssignment && r.Id == history.OldAssignment.ToString());
        await Assert.ThrowsAsync<ScopeDeniedException>(() => archive.ReadForPersonAsync(TestState.CallerFor(history.State.DistrictA), history.State.UserA1.Id));
    }

    [Fact]
    public async Task CompleteHistory_AfterTheArchive_ShowsTheArchivedEventsAndRecords_WithTheirBatch_BesideTheLiveOnes()
    {
        var history = await HistoryAsync();
        await using var _ = history.Database;
        var archive = ArchiveFor(history.Database);
        await archive.RunAsync();
        var batch = Path.GetFileName(Directory.EnumerateFiles(_folder, "*.jsonl.gz").Single());
        var histories = new PersonHistory(history.Database.Factory, history.Database.Get<ScopeService>(), archive, history.Database.Clock);

        var csv = await histories.RetrieveAsync(TestState.CallerFor(history.State.StateAdmin), history.State.UserA1.Id, PersonHistoryFormat.Csv);

        var rows = CsvRecords.Parse(System.Text.Encoding.UTF8.GetString(csv.Content).TrimStart('\uFEFF'));
        Assert.Contains(rows, r => r[0] == "Audit events" && r[1] == batch && r[4] == "AccessGrant.Ended");
        Assert.Contains(rows, r => r[0] == "Archived records" && r[1] == batch && r[4] == ArchiveKinds.AccessGrant && r[7] == $"{ArchiveKinds.AccessGrant} {history.OldGrant}");
        Assert.Contains(rows, r => r[0] == "Grants" && r[7].EndsWith($" {history.RecentGrant}", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r[0] == "Grants" && r[7].EndsWith($" {history.OldGrant}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheChain_AfterTheArchive_VerifiesLiveOnly_AndAcrossTheArchiveAndTheLiveLog()
    {
        var history = await HistoryAsync();
        await using var _ = history.Database;
        var archive = ArchiveFor(history.Database);
        var run = await archive.RunAsync();

        var live = await history.Database.Get<AuditLog>().VerifyChainAsync();
        var full = await archive.VerifyArchiveAsync(TestState.CallerFor(history.State.StateAdmin));

        Assert.True(live.IsIntact, live.Problem);
        Assert.True(full.IsIntact, full.Problem);
        Assert.Equal((1, (long)run.AuditEvents), (full.BatchesChecked, full.ArchivedEventsChecked));
        Assert.True(full.LiveEventsChecked > 1);
        await using var db = await history.Database.OpenAsync();
        var batch = await db.ArchiveBatches.SingleAsync();
        var firstLive = await db.AuditEvents.OrderBy(e => e.Sequence).FirstAsync();
        Assert.Equal((batch.AuditLastSequence + 1, batch.AuditLastHash), (firstLive.Sequence, firstLive.PreviousHash));
    }

    [Fact]
    public async Task TheLiveCheck_WhenTheBatchRecordIsAltered_ReportsTheBrokenLink()
    {
        var history = await HistoryAsync();
        await using var _ = history.Database;
        await ArchiveFor(history.Database).RunAsync();
        await using (var db = await history.Database.OpenAsync())
        {
            await db.ArchiveBatches.ExecuteUpdateAsync(s => s.SetProperty(b => b.AuditLastHash, new string('a', 64)));
        }

        var live = await history.Database.Get<AuditLog>().VerifyChainAsync();

        Assert.False(live.IsIntact);
        Assert.Contains("does not link", live.Problem);
    }

    [Fact]
    public async Task Archive_RunAgain_DoesNothing()
    {
        var history = await HistoryAsync();
        await using var _ = history.Database;
        var archive = ArchiveFor(history.Database);
        await archive.RunAsync();
        var files = Directory.GetFiles(_folder).Order().ToList();

        var again = await archive.RunAsync();

        Assert.Empty(again.Batches);
        Assert.Equal(files, Directory.GetFiles(_folder).Order().ToList());
        await using var db = await history.Database.OpenAsync();
        Assert.Equal(1, await db.ArchiveBatches.CountAsync());
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == RetentionArchive.BatchAction));
    }

    [Fact]
    public async Task TwoRunsAtOnce_ArchiveEachRecordOnce_AndLeaveOneLinkedArchive()
    {
        var history = await HistoryAsync();
        await using var _ = history.Database;

        var runs = await Task.WhenAll(ArchiveFor(history.Database, batchSize: 3).RunAsync(), ArchiveFor(history.Database, batchSize: 3).RunAsync());

        var full = await ArchiveFor(history.Database).VerifyAllAsync();
        Assert.True(full.IsIntact, full.Problem);
        Assert.Equal(runs.Sum(r => r.Batches.Count), full.BatchesChecked);
        var lines = await LinesAsync();
        Assert.Single(lines, l => l.StartsWith($"{{\"kind\":\"access-grant\",\"id\":\"{history.OldGrant}\",", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith($"{{\"kind\":\"access-request\",\"id\":\"{history.OldRequest}\",", StringComparison.Ordinal));
        Assert.Equal(full.BatchesChecked * 2, Directory.GetFiles(_folder).Length);
        Assert.Equal((false, false, false, false, true, true), await LiveAsync(history));
    }

    [Fact]
    public async Task Archive_InSmallBatches_LinksEachManifestToThePrevious_AndTheChainVerifiesAcrossThemAll()
    {
        var history = await HistoryAsync();
        await using var _ = history.Database;
        var archive = ArchiveFor(history.Database, batchSize: 2);

        var run = await archive.RunAsync();
        var full = await archive.VerifyAllAsync();

        Assert.True(run.Batches.Count > 2);
        Assert.True(full.IsIntact, full.Problem);
        Assert.Equal(run.Batches.Count, full.BatchesChecked);
        Assert.Equal((false, false, false, false, true, true), await LiveAsync(history));
        await using var db = await history.Database.OpenAsync();
        var batches = await db.ArchiveBatches.OrderBy(b => b.Number).ToListAsync();
        Assert.Equal(AuditLog.GenesisHash, batches[0].PreviousManifestKeyedHash);
        Assert.All(batches.Skip(1).Zip(batches), pair => Assert.Equal(pair.Second.ManifestKeyedHash, pair.First.PreviousManifestKeyedHash));
    }

    [Fact]
    public async Task Archive_WhenTheDatabaseStepFails_LeavesTheLiveTablesUntouched_AndTheNextRunArchives()
    {
        var history = await HistoryAsync();
        await using var _ = history.Database;
        await InjectedFailure.OnDeleteAsync(history.Database, "AccessGrants");
        var archive = ArchiveFor(history.Database);

        await Assert.ThrowsAnyAsync<Exception>(() => archive.RunAsync());

        Assert.Equal((true, true, true, true, true, true), await LiveAsync(history));
        Assert.Empty(Directory.GetFiles(_folder));
        await using (var db = await history.Database.OpenAsync())
        {
            Assert.Equal(0, await db.ArchiveBatches.CountAsync());
            Assert.Equal(1, await db.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.Sequence).FirstAsync());
        }
        await InjectedFailure.RemoveAsync(history.Database, "AccessGrants");
        Assert.True((await history.Database.Get<AuditLog>().VerifyChainAsync()).IsIntact);

        // A run that stopped between writing its files and recording them left these behind.
        var leftBehind = Path.Combine(_folder, "archive-000001-0123456789ab");
        await File.WriteAllTextAsync(leftBehind + ".jsonl.gz", "not recorded");
        await File.WriteAllTextAsync(leftBehind + ".manifest.json", "not recorded");

        var retried = await archive.RunAsync();

        Assert.Single(retried.Batches);
        Assert.False(File.Exists(leftBehind + ".jsonl.gz") || File.Exists(leftBehind + ".manifest.json"));
        Assert.Equal(2, Directory.GetFiles(_folder).Length);
        Assert.Equal((false, false, false, false, true, true), await LiveAsync(history));
    }

    [Fact]
    public async Task TheFullCheck_WhenAnArchiveFileIsAltered_ReportsIt()
    {
        var history = await HistoryAsync();
        await using var _ = history.Database;
        var archive = ArchiveFor(history.Database);
        await archive.RunAsync();
        var file = Directory.GetFiles(_folder, "*.jsonl.gz").Single();
        var lines = await LinesAsync();
        await using (var gzip = new GZipStream(File.Create(file), CompressionLevel.Optimal))
        await using (var writer = new StreamWriter(gzip))
        {
            foreach (var line in lines)
            {
                await writer.WriteAsync(line.Replace("\"endReason\":\"Manual\"", "\"endReason\":\"Expired\"", StringComparison.Ordinal) + "\n");
            }
        }

        var full = await archive.VerifyArchiveAsync(TestState.CallerFor(history.State.StateAdmin));

        Assert.False(full.IsIntact);
        Assert.Contains("SHA-256", full.Problem);
    }

    [Fact]
    public async Task TheFullCheck_WhenAManifestIsAltered_ReportsIt()
    {
        var history = await HistoryAsync();
        await using var _ = history.Database;
        var archive = ArchiveFor(history.Database);
        await archive.RunAsync();
        var manifest = Directory.GetFiles(_folder, "*.manifest.json").Single();
        var text = await File.ReadAllTextAsync(manifest);
        await File.WriteAllTextAsync(manifest, text.Replace("\"access-grant\":1", "\"access-grant\":0", StringComparison.Ordinal));

        var full = await archive.VerifyArchiveAsync(TestState.CallerFor(history.State.StateAdmin));

        Assert.NotEqual(text, await File.ReadAllTextAsync(manifest));
        Assert.False(full.IsIntact);
        Assert.Contains("keyed hash does not match", full.Problem);
    }

    [Fact]
    public async Task TheScheduledCheck_ArchivesWhenTheClockPassesTheDay()
    {
        // The recent records ended in school year 2019–20, which ended June 30, 2020: due from July 1, 2027.
        var history = await HistoryAsync(new DateTimeOffset(2027, 6, 30, 12, 0, 0, TimeSpan.Zero));
        await using var _ = history.Database;
        var options = Options.Create(new RetentionOptions { Folder = _folder });
        using var check = new RetentionArchiveCheck(ArchiveFor(history.Database), history.Database.Clock, history.Database.Get<JobLeases>(), options, NullLogger<RetentionArchiveCheck>.Instance);
        async Task<int> BatchesAsync()
        {
            await using var db = await history.Database.OpenAsync();
            return await db.ArchiveBatches.CountAsync();
        }
        async Task WaitForAsync(int count)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (await BatchesAsync() < count)
            {
                await Task.Yield();
                timeout.Token.ThrowIfCancellationRequested();
            }
        }

        await check.StartAsync(CancellationToken.None);
        await WaitForAsync(1);
        var onTheLastDay = await LiveAsync(history);
        history.Database.Clock.Advance(TimeSpan.FromDays(1));
        await WaitForAsync(2);
        await check.StopAsync(CancellationToken.None);

        Assert.Equal((false, false, false, false, true, true), onTheLastDay);
        Assert.Equal((false, false, false, false, false, false), await LiveAsync(history));
        Assert.True((await ArchiveFor(history.Database).VerifyAllAsync()).IsIntact);
    }

    [Fact]
    public void Options_OutsideDevelopment_RefuseAnArchiveWithoutAFolder_AndDevelopmentKeepsItUnderAppData()
    {
        var root = Path.Combine(Path.GetTempPath(), $"eser-host-{Guid.NewGuid():N}");
        RetentionOptions Resolve(string environment, Dictionary<string, string?> settings)
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment, ContentRootPath = Path.GetTempPath() });
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddInMemoryCollection(settings);
            builder.AddEserSecurityCore();
            using var services = builder.Services.BuildServiceProvider();
            return services.GetRequiredService<IOptions<RetentionOptions>>().Value;
        }

        var refused = Assert.Throws<OptionsValidationException>(() => Resolve("Production", new() { ["Retention:Enabled"] = "true" }));
        var off = Resolve("Production", []);
        var configured = Resolve("Production", new() { ["Retention:Folder"] = root, ["Retention:Years"] = "10" });
        var development = Resolve("Development", []);

        Assert.Contains("set Retention:Folder", refused.Message);
        Assert.False(off.IsOn);
        Assert.Equal((true, 10), (configured.IsOn, configured.Years));
        Assert.True(development.IsOn);
        Assert.EndsWith(Path.Combine("App_Data", "archive"), development.Folder);
        Assert.Contains("Retention:Years is 0", new RetentionOptions { Folder = root, Years = 0 }.Problem());
    }

    [Theory]
    [InlineData("2026-11-28", 7, "2019-07-01")]
    [InlineData("2026-06-30", 7, "2018-07-01")]
    [InlineData("2026-07-01", 7, "2019-07-01")]
    [InlineData("2026-07-01", 1, "2025-07-01")]
    public void TheCutoff_IsTheStartOfTheSchoolYearAfterTheLastOneThatEndedMoreThanTheRetentionAgo(string today, int years, string cutoff)
    {
        Assert.Equal(DateOnly.Parse(cutoff, System.Globalization.CultureInfo.InvariantCulture),
            DateOnly.FromDateTime(ArchiveCutoff.On(DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture), years).At.UtcDateTime));
    }
}
