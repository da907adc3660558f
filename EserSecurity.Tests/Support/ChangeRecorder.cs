using EserSecurity.Core.Changes;

namespace EserSecurity.Tests.Support;

/// <summary>Records every change the feed publishes while it is alive.</summary>
public sealed class ChangeRecorder : IDisposable
{
    private readonly List<AccessChange> _changes = [];
    private readonly IDisposable _subscription;

    public ChangeRecorder(IAccessChangeFeed feed) => _subscription = feed.Subscribe(change =>
    {
        lock (_changes)
        {
            _changes.Add(change);
        }
        return Task.CompletedTask;
    });

    public IReadOnlyList<AccessChange> Changes
    {
        get
        {
            lock (_changes)
            {
                return [.. _changes];
            }
        }
    }

    /// <summary>Waits up to two seconds for a change the condition accepts; fails the test otherwise.</summary>
    public async Task<AccessChange> WaitForAsync(Func<AccessChange, bool> condition)
    {
        for (var i = 0; i < 200; i++)
        {
            if (Changes.FirstOrDefault(condition) is { } change)
            {
                return change;
            }
            await Task.Delay(10);
        }
        throw new Xunit.Sdk.XunitException("The expected change was never published.");
    }

    public void Dispose() => _subscription.Dispose();
}
