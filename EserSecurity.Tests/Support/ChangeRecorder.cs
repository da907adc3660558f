using EserSecurity.Core.Changes;

namespace EserSecurity.Tests.Support;

/// <summary>
/// Records every change the feed publishes while it is alive. The feed delivers on the thread pool, after the
/// publishing call has returned, so tests wait for the change they expect rather than look for it at once.
/// </summary>
public sealed class ChangeRecorder : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly List<AccessChange> _changes = [];
    private readonly IDisposable _subscription;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ChangeRecorder(IAccessChangeFeed feed) => _subscription = feed.Subscribe(change =>
    {
        TaskCompletionSource arrived;
        lock (_changes)
        {
            _changes.Add(change);
            arrived = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        arrived.SetResult();
        return Task.CompletedTask;
    });

    /// <summary>Waits for a change the condition accepts; fails the test if none arrives.</summary>
    public async Task<AccessChange> WaitForAsync(Func<AccessChange, bool> condition) => (await WaitForAsync(condition, 1))[0];

    /// <summary>Waits until at least <paramref name="count"/> changes the condition accepts have arrived, and returns them in order.</summary>
    public async Task<IReadOnlyList<AccessChange>> WaitForAsync(Func<AccessChange, bool> condition, int count)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            Task arrival;
            lock (_changes)
            {
                var matching = _changes.Where(condition).ToList();
                if (matching.Count >= count)
                {
                    return matching;
                }
                arrival = _next.Task;
            }
            try
            {
                await arrival.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"Expected {count} matching change(s); they were never published.");
            }
        }
    }

    public void Dispose() => _subscription.Dispose();
}
