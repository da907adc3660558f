using System.Collections.Immutable;
using EserSecurity.Core.Changes;

namespace EserSecurity.Dashboard.Components.Shared;

/// <summary>
/// One circuit's live updates: the components of a page watch the change feed through it, and each change refreshes
/// all of them together. First every concerned component loads its data without rendering, then all of them render
/// one after another, so the browser receives the whole update at once and paints it in one frame instead of one
/// frame per component as each load finished. A page that watches for its own renders (the queue's table, the
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
        try
        {
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
                await UpdateAsync(changes);
            }
        }
        catch
        {
            // A failed update must not leave the page deaf to later changes.
            lock (_gate)
            {
                _running = false;
            }
            throw;
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
                    logger.LogWarning(ex, "A live update failed to load on {Kinds}", string.Join(", ", accepted.Select(c => c.Kind).Distinct()));
                }
            }
            foreach (var watch in loaded.Where(w => !w.Disposed))
            {
                watch.Render();
            }
        });
    }

    private void Remove(Watcher watch)
    {
        lock (_gate)
        {
            _watches = _watches.Remove(watch);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _watches = [];
        }
        _subscription?.Dispose();
    }

    private sealed class Watcher(
        LiveUpdates owner, Func<AccessChange, bool> filter, Func<Func<Task>, Task> invokeAsync,
        Func<IReadOnlyList<AccessChange>, Task> load, Action render) : IDisposable
    {
        public bool Disposed { get; private set; }

        public Func<Func<Task>, Task> InvokeAsync { get; } = invokeAsync;

        public Func<IReadOnlyList<AccessChange>, Task> Load { get; } = load;

        public Action Render { get; } = render;

        // The filter reads the component's state as each change arrives; a disposed component accepts nothing.
        public bool Accepts(AccessChange change) => !Disposed && filter(change);

        public void Dispose()
        {
            Disposed = true;
            owner.Remove(this);
        }
    }
}
