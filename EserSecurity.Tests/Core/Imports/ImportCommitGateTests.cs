using System.Collections.Concurrent;
using EserSecurity.Core.Directories;
using EserSecurity.Core.Imports;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Tests.Core.Imports;

public sealed class ImportCommitGateTests
{
    [Fact]
    public async Task ASecondCommit_WaitsForTheFirstToEnd_ThenRuns()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var importer = database.Get<SchoolDirectoryImportService>();
        var gate = database.Get<ImportCommitGate>();
        var caller = TestState.CallerFor(state.StateAdmin);
        var closing = DirectoryCsv.Schools().Row("101", "Alpha Parish Schools", "101003", "Alpha High", "Closed").ToBytes();
        var adding = DirectoryCsv.Schools().Row("303", "Charlie Parish Schools", "303001", "Charlie Elementary", "Open").ToBytes();
        var reports = new ConcurrentQueue<string>();
        using var firstMayGoOn = new ManualResetEventSlim();

        var first = Task.Run(() => importer.CommitAsync(caller, new MemoryStream(closing), new Reports(reports, "first", firstMayGoOn)));
        Assert.True(SpinWait.SpinUntil(() => reports.Contains("first"), TimeSpan.FromSeconds(30)), "The first commit never started.");
        var second = Task.Run(() => importer.CommitAsync(caller, new MemoryStream(adding), new Reports(reports, "second", null)));

        Assert.True(SpinWait.SpinUntil(() => gate.Waiting == 1, TimeSpan.FromSeconds(30)), "The second commit did not wait for the first.");
        Assert.True(gate.IsHeld);
        Assert.DoesNotContain("second", reports);

        firstMayGoOn.Set();
        var results = await Task.WhenAll(first, second);

        Assert.All(results, r => Assert.True(r.Changed));
        var order = reports.ToList();
        Assert.True(order.LastIndexOf("first") < order.IndexOf("second"), string.Join(", ", order));
        Assert.False(gate.IsHeld);
        await using var db = await database.OpenAsync();
        Assert.True(await db.Schools.AnyAsync(s => s.SiteCode == "303001"));
        Assert.NotNull(await db.Schools.Where(s => s.Id == state.A3.Id).Select(s => s.ClosedOn).SingleAsync());
    }

    [Fact]
    public async Task IsBusy_WhileACommitHoldsTheGate_AndNotOnceItEnds()
    {
        await using var database = await TestDatabase.CreateAsync();
        var gate = database.Get<ImportCommitGate>();
        Assert.False(await gate.IsBusyAsync());

        var turn = await gate.EnterAsync(CancellationToken.None);
        Assert.True(await gate.IsBusyAsync());

        turn.Dispose();
        Assert.False(await gate.IsBusyAsync());
    }

    [Fact, Trait("Database", "PostgresOnly")]
    public async Task IsBusy_OnAnotherInstance_WhileThisOneCommits_SoItsPageSaysItWaits()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var other = database.CreateInstance("second");
        var otherGate = other.GetRequiredService<ImportCommitGate>();
        Assert.False(await otherGate.IsBusyAsync());

        var turn = await database.Get<ImportCommitGate>().EnterAsync(CancellationToken.None);
        Assert.False(otherGate.IsHeld);
        Assert.True(await otherGate.IsBusyAsync());

        turn.Dispose();
        Assert.False(await otherGate.IsBusyAsync());
    }

    [Fact, Trait("Database", "PostgresOnly")]
    public async Task ACommitOnAnotherInstance_WaitsWritingNothingUntilTheFirstEnds_ThenRuns()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var other = database.CreateInstance("second");
        var state = await TestState.CreateAsync(database);
        var caller = TestState.CallerFor(state.StateAdmin);
        var closing = DirectoryCsv.Schools().Row("101", "Alpha Parish Schools", "101003", "Alpha High", "Closed").ToBytes();
        var adding = DirectoryCsv.Schools().Row("303", "Charlie Parish Schools", "303001", "Charlie Elementary", "Open").ToBytes();
        var reports = new ConcurrentQueue<string>();
        using var firstMayGoOn = new ManualResetEventSlim();

        var first = Task.Run(() => database.Get<SchoolDirectoryImportService>().CommitAsync(caller, new MemoryStream(closing), new Reports(reports, "first", firstMayGoOn)));
        Assert.True(SpinWait.SpinUntil(() => reports.Contains("first"), TimeSpan.FromSeconds(30)), "The first commit never started.");
        var second = Task.Run(() => other.GetRequiredService<SchoolDirectoryImportService>().CommitAsync(caller, new MemoryStream(adding), new Reports(reports, "second", null)));

        bool secondWroteWhileWaiting;
        try
        {
            // The second instance's commit waits for the import lease on the server, before it reads or writes anything.
            await ServerLocks.WaitForWaitingAsync(database, 1);
            await using var db = await database.OpenAsync();
            secondWroteWhileWaiting = reports.Contains("second") || await db.Schools.AnyAsync(s => s.SiteCode == "303001");
        }
        finally
        {
            firstMayGoOn.Set();
        }
        var results = await Task.WhenAll(first, second);

        Assert.False(secondWroteWhileWaiting);

        Assert.All(results, r => Assert.True(r.Changed));
        var order = reports.ToList();
        Assert.True(order.LastIndexOf("first") < order.IndexOf("second"), string.Join(", ", order));
        await using var after = await database.OpenAsync();
        Assert.True(await after.Schools.AnyAsync(s => s.SiteCode == "303001"));
        Assert.NotNull(await after.Schools.Where(s => s.Id == state.A3.Id).Select(s => s.ClosedOn).SingleAsync());
    }

    [Fact]
    public async Task ACancelledWait_LeavesTheGateToTheOthers()
    {
        await using var database = await TestDatabase.CreateAsync();
        var gate = database.Get<ImportCommitGate>();
        var turn = await gate.EnterAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = gate.EnterAsync(cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, gate.Waiting);
        turn.Dispose();
        turn.Dispose();
        using var next = await gate.EnterAsync(CancellationToken.None);
        Assert.True(gate.IsHeld);
    }

    /// <summary>Records each report under the commit's name; the first report waits until the test lets it go on.</summary>
    private sealed class Reports(ConcurrentQueue<string> reports, string name, ManualResetEventSlim? holdAtFirst) : IProgress<DirectoryImportProgress>
    {
        public void Report(DirectoryImportProgress value)
        {
            reports.Enqueue(name);
            holdAtFirst?.Wait();
        }
    }
}
