using System.Collections.Immutable;
using EserSecurity.Core.Changes;

namespace EserSecurity.Dashboard.Components.Shared;

/// <summary>
/// One circuit's live updates: the components of a page watch the change feed through it, and each change refreshes
/// all of them together. First every concerned component loads its data without rendering, then all of them render
/// in one render batch (through the layout's <see cref="LiveUpdateBatch"/>), so the browser receives the whole update
/// as one message and paints it once, instead of once per component as each load finished. A page that watches for its own renders (the queue's table, the
/// navigation badge, the request panel) costs the browser one style, layout and paint pass per change.
/// </summary>
/// <remarks>
/// Scoped: one per circuit. Bursts coalesce: changes that arrive while an update runs wait for it and are then handled
/// together, each component getting every change that concerns it. A component whose load fails, or does not finish
/// within <see cref="LoadPatience"/>, keeps the changes it missed and loads again after a pause that doubles from
/// <see cref="FirstRetry"/> up to <see cref="LongestRetry"/>, with or without a later change: a busy database (every
/// open page reloading at once) delays a page, it does not leave it showing what was true before the failure.
/// </remarks>
public sealed class LiveUpdates(IAccessChangeFeed feed, TimeProvider clock, ILogger<LiveUpdates> logger) : IDisposable
{
    /// <summary>How long an update waits for one component's load before it counts the load as failed.</summary>
    public static readonly TimeSpan LoadPatience = TimeSpan.FromSeconds(60);

    /// <summary>The pause before a failed load is tried again the first time.</summary>
    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);

    /// <summary>The longest pause between tries of a load that keeps failing.</summary>
    public static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private ImmutableList<Watcher> _watches = [];
    private List<AccessChange> _pending = [];
    private IDisposable? _subscription;
    private ITimer? _retryTimer;
    private LiveUpdateBatch? _batch;
    private bool _retryDue;
    private bool _running;
    private bool _disposed;
    private bool _behind;

    /// <summary>
    /// Whether some of the page may be out of date: a component's load failed and waits for its next try. The layout
    /// says so, so that nobody decides on a list that no longer follows the changes without knowing it.
    /// </summary>
    public bool Behind
    {
        get
        {
            lock (_gate)
            {
                return _behind;
            }
        }
    }

    /// <summary>Raised on the thread pool when <see cref="Behind"/> changes.</summary>
    public event Action? BehindChanged;

    /// <summary>
    /// Watches for changes the filter accepts. For each update, <paramref name="load"/> runs on the component's
    /// dispatcher with the accepted changes and must not render; <paramref name="render"/> runs after every concerned
    /// component has loaded. Dispose the result with the component.
    /// </summary>
    public IDisposable Watch(
        Func<AccessChange, bool> filter, Func<Func<Task>, Task> invokeAsync, Func<IReadOnlyList<AccessChange>, Task> load, Action render)
    {
        var watch = new Watcher(this, filter, invokeAsync, load, render);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _watches = _watches.Add(watch);
            _subscription ??= feed.Subscribe(OnChangeAsync);
        }
        return watch;
    }

    private Task OnChangeAsync(AccessChange change)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return Task.CompletedTask;
            }
            _pending.Add(change);
            if (_running)
            {
                return Task.CompletedTask;
            }
            _running = true;
        }
        return RunAsync();
    }

    private void OnRetryDue()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _retryDue = true;
            if (_running)
            {
                return;
            }
            _running = true;
        }
        _ = RunAsync();
    }

    private async Task RunAsync()
    {
        while (true)
        {
            List<AccessChange> changes;
            lock (_gate)
            {
                changes = _pending;
                _pending = [];
                var retry = _retryDue;
                _retryDue = false;
                if ((changes.Count == 0 && !retry) || _disposed)
                {
                    _running = false;
                    return;
                }
            }
            try
            {
                await UpdateAsync(changes);
            }
            catch (Exception ex)
            {
                // A failed update must not leave the page deaf to the changes that arrived meanwhile, nor to later ones;
                // the components it did not reach owe their changes and are tried again.
                logger.LogWarning(ex, "A live update failed on {Kinds}", Kinds(changes));
            }
            CountBehind();
        }
    }

    /// <summary>Tries every load that failed now, instead of after its pause: the person asked to.</summary>
    public void TryAgainNow() => OnRetryDue();

    private void CountBehind()
    {
        bool changed;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            var behind = _watches.Any(w => w.Failures > 0);
            changed = behind != _behind;
            _behind = behind;
        }
        if (changed)
        {
            BehindChanged?.Invoke();
        }
    }

    private async Task UpdateAsync(List<AccessChange> changes)
    {
        var due = _watches
            .Select(watch => (Watch: watch, Changes: watch.TakeOwed().Concat(changes.Where(watch.Accepts)).ToList()))
            .Where(d => d.Changes.Count > 0)
            .ToList();
        if (due.Count == 0)
        {
            return;
        }
        var reached = new HashSet<Watcher>();
        try
        {
            // Every component of a circuit shares its dispatcher, so one dispatch runs the whole update.
            await due[0].Watch.InvokeAsync(async () =>
            {
                var loaded = new List<Watcher>(due.Count);
                foreach (var (watch, accepted) in due)
                {
                    reached.Add(watch);
                    if (watch.Disposed)
                    {
                        continue;
                    }
                    if (await LoadedAsync(watch, accepted))
                    {
                        loaded.Add(watch);
                    }
                }
                if (_batch is { Disposed: false } batch)
                {
                    // One render batch for the whole page: one message to the browser, one frame there.
                    batch.RenderTogether(() => RenderAll(loaded, changes));
                }
                else
                {
                    // Without the layout's batch (a page rendered on its own), each render is its own batch, sent back to
                    // back.
                    RenderAll(loaded, changes);
                }
            });
        }
        catch
        {
            foreach (var (watch, accepted) in due.Where(d => !reached.Contains(d.Watch)))
            {
                Owe(watch, accepted);
            }
            throw;
        }
    }

    /// <summary>Runs one component's load; a failure or a load past its patience is owed and tried again later.</summary>
    private async Task<bool> LoadedAsync(Watcher watch, List<AccessChange> accepted)
    {
        try
        {
            await watch.Load(accepted).WaitAsync(LoadPatience, clock);
            watch.Failures = 0;
            return true;
        }
        catch (TimeoutException)
        {
            logger.LogWarning("A live update did not load within {Patience} on {Kinds}; it is tried again", LoadPatience, Kinds(accepted));
        }
        catch (Exception ex)
        {
            // One component's failure leaves the others' updates standing.
            logger.LogWarning(ex, "A live update failed to load on {Kinds}; it is tried again", Kinds(accepted));
        }
        // Failed or still running: the changes are owed either way, and a later load brings the page up to date.
        Owe(watch, accepted);
        return false;
    }

    private void Owe(Watcher watch, List<AccessChange> changes)
    {
        if (changes.Count == 0 || watch.Disposed)
        {
            return;
        }
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            watch.Owe(changes);
            var pause = TimeSpan.FromTicks(Math.Min(LongestRetry.Ticks, FirstRetry.Ticks << Math.Min(watch.Failures, 16)));
            watch.Failures++;
            // One timer per circuit; an earlier retry already set also brings this component up to date.
            if (_retryTimer is null)
            {
                _retryTimer = clock.CreateTimer(_ => OnRetryDue(), null, pause, Timeout.InfiniteTimeSpan);
            }
            else
            {
                _retryTimer.Change(pause, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void RenderAll(List<Watcher> loaded, List<AccessChange> changes)
    {
        foreach (var watch in loaded.Where(w => !w.Disposed))
        {
            try
            {
                watch.Render();
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "A live update failed to render on {Kinds}", Kinds(changes));
            }
        }
    }

    /// <summary>The layout's <see cref="LiveUpdateBatch"/> announces itself, so that updates render in one batch.</summary>
    internal void Attach(LiveUpdateBatch batch) => _batch = batch;

    internal void Detach(LiveUpdateBatch batch)
    {
        if (_batch == batch)
        {
            _batch = null;
        }
    }

    private bool Accepts(Func<AccessChange, bool> filter, AccessChange change)
    {
        try
        {
            return filter(change);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "A live update filter failed on {Kind}", change.Kind);
            return false;
        }
    }

    private static string Kinds(IEnumerable<AccessChange> changes) => string.Join(", ", changes.Select(c => c.Kind).Distinct());

    private void Remove(Watcher watch)
    {
        lock (_gate)
        {
            _watches = _watches.Remove(watch);
        }
        // The page that could not be brought up to date may be the one just left.
        CountBehind();
    }

    public void Dispose()
    {
        ImmutableList<Watcher> watches;
        lock (_gate)
        {
            _disposed = true;
            watches = _watches;
            _watches = [];
        }
        foreach (var watch in watches)
        {
            // An update already under way skips the circuit's components from here on.
            watch.Dispose();
        }
        _subscription?.Dispose();
        _retryTimer?.Dispose();
    }

    private sealed class Watcher(
        LiveUpdates owner, Func<AccessChange, bool> filter, Func<Func<Task>, Task> invokeAsync,
        Func<IReadOnlyList<AccessChange>, Task> load, Action render) : IDisposable
    {
        private volatile bool _disposed;
        private List<AccessChange> _owed = [];

        public bool Disposed => _disposed;

        public Func<Func<Task>, Task> InvokeAsync { get; } = invokeAsync;

        public Func<IReadOnlyList<AccessChange>, Task> Load { get; } = load;

        public Action Render { get; } = render;

        /// <summary>Loads failed in a row: the pause before the next try doubles with each.</summary>
        public int Failures { get; set; }

        // Filters run when an update starts, on the thread pool: they read state the component keeps between updates
        // (its scope, what it shows). A disposed component accepts nothing; a change that concerns everyone (the feed
        // resumed after missing other instances' changes) every other one.
        public bool Accepts(AccessChange change) => !_disposed && (change.ConcernsEveryone || owner.Accepts(filter, change));

        /// <summary>Keeps changes a failed load missed, for the next update of this component. Called under the owner's lock.</summary>
        public void Owe(List<AccessChange> changes) => _owed = [.. _owed, .. changes.Except(_owed)];

        /// <summary>The changes owed from failed loads, which the next update hands to the component first.</summary>
        public List<AccessChange> TakeOwed()
        {
            lock (owner._gate)
            {
                var owed = _owed;
                _owed = [];
                return owed;
            }
        }

        public void Dispose()
        {
            _disposed = true;
            owner.Remove(this);
        }
    }
}
