namespace EserSecurity.Dashboard.Components.Shared.Imports;

/// <summary>
/// Passes on the progress of an import running off the circuit's thread at most five times a second, and always the
/// report that ends a stage, so the page shows it without a render per row.
/// </summary>
internal sealed class ThrottledProgress<T>(Func<T, Task> show, Func<T, bool> endsStage) : IProgress<T>
{
    private const long IntervalMilliseconds = 200;
    private long _lastShown;

    public void Report(T value)
    {
        var now = Environment.TickCount64;
        if (now - Interlocked.Read(ref _lastShown) < IntervalMilliseconds && !endsStage(value))
        {
            return;
        }
        Interlocked.Exchange(ref _lastShown, now);
        _ = show(value);
    }
}
