using System.Collections.Concurrent;
using EserSecurity.Core.Changes;
using EserSecurity.Dashboard.Components.Shared;
using EserSecurity.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EserSecurity.Tests.Dashboard.Shared;

/// <summary>
/// One circuit's live updates: every concerned component loads, then all of them render; a failing or disposed
/// component does not hold up the others, and changes that arrive during an update are handled together after it. A
/// load that fails or never finishes is tried again after a pause, so a page never stops following the changes.
/// </summary>
/// <remarks>
/// The watches run their update on the thread pool, as the real feed delivers it; there is no renderer, so
/// <c>invokeAsync</c> just runs the work. The test waits until the circuit's handler has finished with a change
/// (<see cref="ObservedFeed.PublishAsync"/>), so what did not happen can be asserted as surely as what did.
/// </remarks>
public sealed class LiveUpdatesTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 15, 0, 0, TimeSpan.Zero);

    private readonly ObservedFeed _feed = new();
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly LiveUpdates _live;
    private readonly ConcurrentQueue<string> _events = new();
    private int _nextRequestId;

    public LiveUpdatesTests() => _live = new LiveUpdates(_feed, _clock, NullLogger<LiveUpdates>.Instance);

    [Fact]
    public async Task Change_LoadsEveryConcernedWatch_BeforeRenderingAny()
    {
        Watch("queue");
        Watch("badge");

        await _feed.PublishAsync(Change());

        Assert.Equal(["load queue", "load badge", "render queue", "render badge"], _events);
    }

    [Fact]
    public async Task WatchWhoseFilterRejectsTheChange_NeitherLoadsNorRenders()
    {
        Watch("queue", filter: c => c.SchoolSystemId == 1);
        Watch("other district", filter: c => c.SchoolSystemId == 2);

        await _feed.PublishAsync(Change(schoolSystemId: 1));

        Assert.Equal(["load queue", "render queue"], _events);
    }

    [Fact]
    public async Task FeedResumed_LoadsAndRendersEveryWatch_WhateverItsFilter()
    {
        Watch("queue", filter: c => c.SchoolSystemId == 1);
        Watch("other district", filter: c => c.SchoolSystemId == 2);

        await _feed.PublishAsync(new AccessChange(AccessChangeKind.FeedResumed, null, null, null, null, Now));

        Assert.Equal(["load queue", "load other district", "render queue", "render other district"], _events);
    }

    [Fact]
    public async Task WatchWhoseLoadFails_IsNotRendered_TheOthersAre_AndLaterChangesReachEveryone()
    {
        var failing = true;
        Watch("queue", load: _ => failing ? throw new InvalidOperationException("The database is busy.") : Task.CompletedTask);
        Watch("badge");

        await _feed.PublishAsync(Change());
        Assert.Equal(["load queue", "load badge", "render badge"], _events);

        _events.Clear();
        failing = false;
        await _feed.PublishAsync(Change());
        Assert.Equal(["load queue", "load badge", "render queue", "render badge"], _events);
    }

    [Fact]
    public async Task WatchWhoseLoadFails_LoadsAgainAfterAPause_WithoutWaitingForAnotherChange()
    {
        var loaded = new ConcurrentQueue<IReadOnlyList<AccessChange>>();
        var rendered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failures = 2;
        _live.Watch(_ => true, work => work(), changes =>
        {
            loaded.Enqueue(changes);
            return Interlocked.Decrement(ref failures) >= 0 ? throw new InvalidOperationException("The database is busy.") : Task.CompletedTask;
        }, rendered.SetResult);
        var change = Change();

        await _feed.PublishAsync(change);
        Assert.Single(loaded);
        Assert.False(rendered.Task.IsCompleted);

        // A pause, a second try that fails too, a longer pause, and a third try that loads and renders.
        await AdvanceUntilAsync(() => rendered.Task.IsCompleted, LiveUpdates.FirstRetry);
        Assert.Equal(3, loaded.Count);
        Assert.All(loaded, changes => Assert.Equal([change], changes));
    }

    [Fact]
    public async Task WatchWhoseLoadFails_PutsThePageBehind_UntilItsRetryLoads()
    {
        var behindChanges = new ConcurrentQueue<bool>();
        _live.BehindChanged += () => behindChanges.Enqueue(_live.Behind);
        var rendered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failures = 1;
        _live.Watch(_ => true, work => work(),
            _ => Interlocked.Decrement(ref failures) >= 0 ? throw new InvalidOperationException("The database is busy.") : Task.CompletedTask,
            rendered.SetResult);
        Watch("badge");
        Assert.False(_live.Behind);

        await _feed.PublishAsync(Change());
        Assert.True(_live.Behind);

        await AdvanceUntilAsync(() => rendered.Task.IsCompleted, LiveUpdates.FirstRetry);
        await AdvanceUntilAsync(() => !_live.Behind, TimeSpan.Zero);
        Assert.Equal([true, false], behindChanges);
    }

    [Fact]
    public async Task TryAgainNow_LoadsWhatFailed_WithoutWaitingForThePause()
    {
        var rendered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failing = true;
        var loads = new ConcurrentQueue<IReadOnlyList<AccessChange>>();
        _live.Watch(_ => true, work => work(), changes =>
        {
            loads.Enqueue(changes);
            return failing ? throw new InvalidOperationException("The database is busy.") : Task.CompletedTask;
        }, rendered.SetResult);
        var change = Change();
        await _feed.PublishAsync(change);
        Assert.True(_live.Behind);

        failing = false;
        _live.TryAgainNow();

        await rendered.Task.WaitAsync(ObservedFeed.Patience);
        Assert.Equal([[change], [change]], loads);
        await AdvanceUntilAsync(() => !_live.Behind, TimeSpan.Zero);
    }

    [Fact]
    public async Task LeavingThePageWhoseLoadFailed_IsNoLongerBehind()
    {
        var failing = _live.Watch(_ => true, work => work(), _ => throw new InvalidOperationException("The database is busy."), () => { });
        Watch("badge");
        await _feed.PublishAsync(Change());
        Assert.True(_live.Behind);

        failing.Dispose();

        Assert.False(_live.Behind);
    }

    [Fact]
    public async Task LoadThatNeverFinishes_IsGivenUp_AndThePageStillFollowsLaterChanges()
    {
        var neverEnds = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hung = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loads = 0;
        var renders = 0;
        _live.Watch(_ => true, work => work(), _ =>
        {
            if (Interlocked.Increment(ref loads) == 1)
            {
                hung.SetResult();
                return neverEnds.Task;
            }
            return Task.CompletedTask;
        }, () => Interlocked.Increment(ref renders));

        var first = _feed.PublishAsync(Change());
        await hung.Task.WaitAsync(ObservedFeed.Patience);
        await AdvanceUntilAsync(() => first.IsCompleted, LiveUpdates.LoadPatience);
        await first;
        await _feed.PublishAsync(Change());

        // The hung load was given up after its patience; the next change (or the retry) loaded and rendered the page.
        Assert.True(Volatile.Read(ref renders) >= 1);
        Assert.True(Volatile.Read(ref loads) >= 2);
    }

    [Fact]
    public async Task UpdateThatFails_DoesNotLeaveThePageDeafToLaterChanges()
    {
        var circuitGone = true;
        _live.Watch(_ => true, work => circuitGone ? throw new InvalidOperationException("The circuit is gone.") : work(),
            _ => Record("load queue"), () => _events.Enqueue("render queue"));

        await _feed.PublishAsync(Change());
        Assert.Empty(_events);

        circuitGone = false;
        await _feed.PublishAsync(Change());
        Assert.Equal(["load queue", "render queue"], _events);
    }

    [Fact]
    public async Task UpdateThatFails_StillHandlesTheChangesThatArrivedWhileItRan()
    {
        var loaded = new ConcurrentQueue<IReadOnlyList<AccessChange>>();
        var dispatching = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failed = false;
        _live.Watch(_ => true, async work =>
        {
            if (!failed)
            {
                failed = true;
                dispatching.SetResult();
                await failNow.Task;
                throw new InvalidOperationException("The dispatcher refused the first update.");
            }
            await work();
        }, changes =>
        {
            loaded.Enqueue(changes);
            return Record("load queue");
        }, () => _events.Enqueue("render queue"));
        var first = Change();
        var second = Change();

        var firstHandled = _feed.PublishAsync(first);
        await dispatching.Task.WaitAsync(ObservedFeed.Patience);
        await _feed.PublishAsync(second);
        failNow.SetResult();
        await firstHandled;

        // The second change waited behind the failed update and was handled right after it, without a third change,
        // together with the first, which the failed update never delivered.
        Assert.Collection(loaded, changes => Assert.Equal([first, second], changes));
        Assert.Equal(["load queue", "render queue"], _events);
    }

    [Fact]
    public async Task ChangesDuringAnUpdate_AreHandledTogetherAfterIt()
    {
        var loaded = new ConcurrentQueue<IReadOnlyList<AccessChange>>();
        var firstLoadStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var database = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Watch("queue", load: async changes =>
        {
            loaded.Enqueue(changes);
            firstLoadStarted.TrySetResult();
            await database.Task;
        });
        var first = Change();
        var second = Change();
        var third = Change();

        var firstHandled = _feed.PublishAsync(first);
        await firstLoadStarted.Task.WaitAsync(ObservedFeed.Patience);
        await _feed.PublishAsync(second);
        await _feed.PublishAsync(third);
        Assert.Single(loaded);
        database.SetResult();
        await firstHandled;

        Assert.Collection(loaded, changes => Assert.Equal([first], changes), changes => Assert.Equal([second, third], changes));
        Assert.Equal(["load queue", "render queue", "load queue", "render queue"], _events);
    }

    [Fact]
    public async Task DisposedWatch_IsNeitherLoadedNorRendered()
    {
        Watch("closed panel").Dispose();
        Watch("queue");

        await _feed.PublishAsync(Change());

        Assert.Equal(["load queue", "render queue"], _events);
    }

    [Fact]
    public async Task WatchDisposedWhileTheUpdateLoads_IsNotRendered()
    {
        var panel = Watch("panel");
        Watch("queue", load: _ =>
        {
            // The queue's load closes the request panel, which has already loaded.
            panel.Dispose();
            return Task.CompletedTask;
        });

        await _feed.PublishAsync(Change());

        Assert.Equal(["load panel", "load queue", "render queue"], _events);
    }

    public void Dispose() => _live.Dispose();

    /// <summary>
    /// Moves the fake clock on by <paramref name="step"/> until the condition holds: the timer that a failed load sets
    /// exists only once the update that set it has run on the thread pool.
    /// </summary>
    private async Task AdvanceUntilAsync(Func<bool> condition, TimeSpan step)
    {
        var giveUp = DateTime.UtcNow + ObservedFeed.Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < giveUp, "The condition did not hold as the clock moved on.");
            _clock.Advance(step);
            await Task.Yield();
        }
    }

    private IDisposable Watch(string name, Func<AccessChange, bool>? filter = null, Func<IReadOnlyList<AccessChange>, Task>? load = null) =>
        _live.Watch(filter ?? (_ => true), work => work(), async changes =>
        {
            await Record($"load {name}");
            if (load is not null)
            {
                await load(changes);
            }
        }, () => _events.Enqueue($"render {name}"));

    private Task Record(string what)
    {
        _events.Enqueue(what);
        return Task.CompletedTask;
    }

    private AccessChange Change(int schoolSystemId = 1) =>
        new(AccessChangeKind.RequestDecided, schoolSystemId, 10, Interlocked.Increment(ref _nextRequestId), 20, Now);

    /// <summary>
    /// The real in-process feed, which also tells the test when its subscribers have finished with a change: for the
    /// circuit's handler that is after the update the change started, or at once when it joined a running update.
    /// </summary>
    private sealed class ObservedFeed : IAccessChangeFeed
    {
        public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

        private readonly InProcessAccessChangeFeed _feed = StandaloneFeed.Create();
        private readonly ConcurrentDictionary<AccessChange, TaskCompletionSource> _handled = new();

        public long Version => _feed.Version;

        public void Publish(AccessChange change) => _feed.Publish(change);

        public IDisposable Subscribe(Func<AccessChange, Task> handler) => _feed.Subscribe(async change =>
        {
            try
            {
                await handler(change);
            }
            finally
            {
                Handled(change).TrySetResult();
            }
        });

        /// <summary>Publishes the change and waits until the subscriber has finished with it.</summary>
        public Task PublishAsync(AccessChange change)
        {
            var handled = Handled(change).Task;
            _feed.Publish(change);
            return handled.WaitAsync(Patience);
        }

        private TaskCompletionSource Handled(AccessChange change) =>
            _handled.GetOrAdd(change, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
