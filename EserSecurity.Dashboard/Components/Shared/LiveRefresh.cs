using EserSecurity.Core.Changes;

namespace EserSecurity.Dashboard.Components.Shared;

/// <summary>
/// A component's subscription to the change feed: for each change the filter accepts, runs the refresh on the
/// component's dispatcher. Bursts coalesce: while a refresh runs, further changes queue exactly one more.
/// Dispose it with the component.
/// </summary>
public sealed class LiveRefresh : IDisposable
{
    private readonly IDisposable _subscription;
    private readonly Func<Func<Task>, Task> _invokeAsync;
    private readonly Func<AccessChange, Task> _refresh;
    private readonly Func<AccessChange, bool> _filter;
    private readonly Lock _gate = new();
    private bool _running;
    private AccessChange? _queued;
    private bool _disposed;

    public LiveRefresh(IAccessChangeFeed feed, Func<AccessChange, bool> filter, Func<Func<Task>, Task> invokeAsync, Func<AccessChange, Task> refresh)
    {
        _filter = filter;
        _invokeAsync = invokeAsync;
        _refresh = refresh;
        _subscription = feed.Subscribe(OnChangeAsync);
    }

    private async Task OnChangeAsync(AccessChange change)
    {
        if (_disposed || !_filter(change))
        {
            return;
        }
        lock (_gate)
        {
            if (_running)
            {
                _queued = change;
                return;
            }
            _running = true;
        }
        var next = change;
        try
        {
            while (next is not null && !_disposed)
            {
                var current = next;
                await _invokeAsync(() => _refresh(current));
                lock (_gate)
                {
                    next = _queued;
                    _queued = null;
                    if (next is null)
                    {
                        _running = false;
                    }
                }
            }
        }
        finally
        {
            // A failed refresh must not leave the view deaf to later changes.
            lock (_gate)
            {
                if (next is not null)
                {
                    _running = false;
                }
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _subscription.Dispose();
    }
}
