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
/// together, each component getting every change that concerns it.
/// </remarks>
public sealed class LiveUpdates(IAccessChangeFeed feed, ILogger<LiveUpdates> logger) : IDisposable
{
    private readonly Lock _gate = new();
    private ImmutableList<Watcher> _watches = [];
    private List<AccessChange> _pending = [];
    private IDisposable? _subscription;
    private LiveUpdateBatch? _batch;
    private bool _running;
    private bool _disposed;

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

    private async Task OnChangeAsync(AccessChange change)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _pending.Add(change);
            if (_running)
            {
                return;
            }
            _running = true;
        }
        while (true)
        {
            List<AccessChange> changes;
            lock (_gate)
            {
                changes = _pending;
                _pending = [];
                if (changes.Count == 0 || _disposed)
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
                // A failed update must not leave the page deaf to the changes that arrived meanwhile, nor to later ones.
                logger.LogWarning(ex, "A live update failed on {Kinds}", Kinds(changes));
            }
        }
    }

    private async Task UpdateAsync(List<AccessChange> changes)
    {
        var due = _watches
            .Select(watch => (Watch: watch, Changes: (IReadOnlyList<AccessChange>)changes.Where(watch.Accepts).ToList()))
            .Where(d => d.Changes.Count > 0)
            .ToList();
        if (due.Count == 0)
        {
            return;
        }
        // Every component of a circuit shares its dispatcher, so one dispatch runs the whole update.
        await due[0].Watch.InvokeAsync(async () =>
        {
            var loaded = new List<Watcher>(due.Count);
            foreach (var (watch, accepted) in due)
            {
                if (watch.Disposed)
                {
                    continue;
                }
                try
                {
                    await watch.Load(accepted);
                    loaded.Add(watch);
                }
                catch (Exception ex)
                {
                    // One component's failure leaves the others' updates standing.
                    logger.LogWarning(ex, "A live update failed to load on {Kinds}", Kinds(accepted));
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
    }

    private sealed class Watcher(
        LiveUpdates owner, Func<AccessChange, bool> filter, Func<Func<Task>, Task> invokeAsync,
        Func<IReadOnlyList<AccessChange>, Task> load, Action render) : IDisposable
    {
        private volatile bool _disposed;

        public bool Disposed => _disposed;

        public Func<Func<Task>, Task> InvokeAsync { get; } = invokeAsync;

        public Func<IReadOnlyList<AccessChange>, Task> Load { get; } = load;

        public Action Render { get; } = render;

        // Filters run when an update starts, on the thread pool: they read state the component keeps between updates
        // (its scope, what it shows). A disposed component accepts nothing; a change that concerns everyone (the feed
        // resumed after missing other instances' changes) every other one.
        public bool Accepts(AccessChange change) => !_disposed && (change.ConcernsEveryone || owner.Accepts(filter, change));

        public void Dispose()
        {
            _disposed = true;
            owner.Remove(this);
        }
    }
}
