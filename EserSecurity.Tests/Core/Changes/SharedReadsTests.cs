using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Changes;
using EserSecurity.Tests.Support;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EserSecurity.Tests.Core.Changes;

/// <summary>
/// Identical reads share one trip to the database while nothing has changed: never across a published change, never
/// past the lifetime, never after a failure, and one caller giving up does not cancel the read for the others.
/// </summary>
public sealed class SharedReadsTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);

    private readonly InProcessAccessChangeFeed _feed = StandaloneFeed.Create();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 15, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task IdenticalReads_WhileTheFirstRuns_ReadOnce_AndBothGetItsResult()
    {
        var reads = CreateSharedReads();
        var database = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;
        Task<string> Read() { runs++; return database.Task; }

        var first = reads.GetAsync("queue", Read);
        var second = reads.GetAsync("queue", Read);
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);
        database.SetResult("three requests");

        Assert.Equal("three requests", await first);
        Assert.Equal("three requests", await second);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task IdenticalRead_AfterTheFirstFinished_WithinTheLifetime_GetsItsResult()
    {
        var reads = CreateSharedReads();
        var runs = 0;

        Assert.Equal(1, await reads.GetAsync("queue", () => Task.FromResult(++runs)));
        _clock.Advance(Lifetime / 2);

        Assert.Equal(1, await reads.GetAsync("queue", () => Task.FromResult(++runs)));
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task Read_AfterAChangeIsPublished_RunsAgain_EvenWithinTheLifetime()
    {
        var reads = CreateSharedReads();
        var rows = "before the decision";
        var runs = 0;
        Task<string> Read() { runs++; return Task.FromResult(rows); }
        Assert.Equal("before the decision", await reads.GetAsync("queue", Read));

        rows = "after the decision";
        _feed.Publish(Change(AccessChangeKind.RequestDecided));

        // No time passes: only the change tells the shared result apart from a fresh one.
        Assert.Equal("after the decision", await reads.GetAsync("queue", Read));
        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task Read_StartedAfterAChange_DoesNotJoinARead_StillRunningFromBeforeIt()
    {
        var reads = CreateSharedReads();
        var before = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = reads.GetAsync("queue", () => before.Task);

        _feed.Publish(Change(AccessChangeKind.RequestDecided));
        var second = reads.GetAsync("queue", () => Task.FromResult("after the decision"));
        before.SetResult("before the decision");

        Assert.Equal("after the decision", await second);
        Assert.Equal("before the decision", await first);
    }

    [Fact]
    public async Task DifferentKeys_DoNotShare()
    {
        var reads = CreateSharedReads();
        var database = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = new List<string>();
        async Task<string> Read(string what)
        {
            lock (runs)
            {
                runs.Add(what);
            }
            await database.Task;
            return what;
        }

        var districtQueue = reads.GetAsync(new QueueKey("coordinator-queue", 1), () => Read("district"));
        var localQueue = reads.GetAsync(new QueueKey("coordinator-queue", 2), () => Read("local"));
        var districtAgain = reads.GetAsync(new QueueKey("coordinator-queue", 1), () => Read("district again"));
        database.SetResult();

        Assert.Equal("district", await districtQueue);
        Assert.Equal("local", await localQueue);
        Assert.Equal("district", await districtAgain);
        Assert.Equal(["district", "local"], runs);
    }

    [Fact]
    public async Task Read_AfterTheLifetime_RunsAgain()
    {
        var reads = CreateSharedReads();
        var runs = 0;
        Assert.Equal(1, await reads.GetAsync("awaiting", () => Task.FromResult(++runs)));

        _clock.Advance(Lifetime - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, await reads.GetAsync("awaiting", () => Task.FromResult(++runs)));
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(2, await reads.GetAsync("awaiting", () => Task.FromResult(++runs)));
        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task FailedRead_FailsEveryoneWaitingOnIt_AndIsNotKept()
    {
        var reads = CreateSharedReads();
        var database = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;
        var owner = reads.GetAsync("queue", () => { runs++; return database.Task; });
        var waiter = reads.GetAsync("queue", () => { runs++; return Task.FromResult("never read"); });

        database.SetException(new TimeoutException("The database is busy."));

        Assert.Equal("The database is busy.", (await Assert.ThrowsAsync<TimeoutException>(() => owner)).Message);
        Assert.Equal("The database is busy.", (await Assert.ThrowsAsync<TimeoutException>(() => waiter)).Message);
        Assert.Equal(1, runs);
        // No time passes and nothing is published: only the failure makes the next read run.
        Assert.Equal("three requests", await reads.GetAsync("queue", () => { runs++; return Task.FromResult("three requests"); }));
        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task ReadThatThrowsBeforeItsFirstAwait_IsNotKeptEither()
    {
        var reads = CreateSharedReads();

        await Assert.ThrowsAsync<InvalidOperationException>(() => reads.GetAsync<int>("awaiting", () => throw new InvalidOperationException()));

        Assert.Equal(3, await reads.GetAsync("awaiting", () => Task.FromResult(3)));
    }

    [Fact]
    public async Task SharingTurnedOff_EveryReadRuns()
    {
        var reads = CreateSharedReads(TimeSpan.Zero);
        var database = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;
        async Task<int> Read()
        {
            var run = Interlocked.Increment(ref runs);
            await database.Task;
            return run;
        }

        var first = reads.GetAsync("queue", Read);
        var second = reads.GetAsync("queue", Read);
        database.SetResult();

        Assert.Equal(1, await first);
        Assert.Equal(2, await second);
        Assert.Equal(3, await reads.GetAsync("queue", Read));
    }

    [Fact]
    public async Task WaiterCancelled_StopsOnlyItsOwnWait_NotTheSharedRead()
    {
        var reads = CreateSharedReads();
        var database = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;
        Task<string> Read() { runs++; return database.Task; }
        var owner = reads.GetAsync("queue", Read);
        using var closedTab = new CancellationTokenSource();
        var waiter = reads.GetAsync("queue", Read, closedTab.Token);

        await closedTab.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
        Assert.False(owner.IsCompleted);
        database.SetResult("three requests");
        Assert.Equal("three requests", await owner);
        // The read finished and is still shared: cancelling a waiter did not spoil it.
        Assert.Equal("three requests", await reads.GetAsync("queue", Read));
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task CallerWhoStartedTheRead_CanStopWaiting_WhileOthersStillGetItsResult()
    {
        var reads = CreateSharedReads();
        var database = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;
        Task<string> Read() { runs++; return database.Task; }
        using var closedTab = new CancellationTokenSource();
        var owner = reads.GetAsync("queue", Read, closedTab.Token);
        var waiter = reads.GetAsync("queue", Read);

        await closedTab.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => owner);
        Assert.False(waiter.IsCompleted);
        database.SetResult("three requests");
        Assert.Equal("three requests", await waiter);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task CancelledRead_IsCancelledForItsWaiters_AndNotKept()
    {
        var reads = CreateSharedReads();
        var database = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;
        Task<string> Read() { runs++; return runs == 1 ? database.Task : Task.FromResult("fresh"); }
        var owner = reads.GetAsync("queue", Read);
        var waiter = reads.GetAsync("queue", Read);

        database.SetCanceled();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
        Assert.True(waiter.IsCanceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => owner);
        Assert.Equal("fresh", await reads.GetAsync("queue", Read));
    }

    private SharedReads CreateSharedReads(TimeSpan? lifetime = null) =>
        new(_feed, _clock, Options.Create(new QueueOptions { ShareReadsFor = lifetime ?? Lifetime }));

    private AccessChange Change(AccessChangeKind kind) => new(kind, 1, 2, 3, 4, _clock.GetUtcNow());

    private sealed record QueueKey(string Read, int RoutingId);
}
