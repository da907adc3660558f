using EserSecurity.Core.Tas;

namespace EserSecurity.Dashboard.Components.Pages.Tas;

/// <summary>
/// Passes on the progress of an import running off the circuit's thread at most five times a second, and always the
/// report that ends a stage, so the page shows it without a render per row.
/// </summary>
internal sealed class ThrottledProgress(Func<TasImportProgress, Task> show) : IProgress<TasImportProgress>
{
    private const long IntervalMilliseconds = 200;
    private long _lastShown;

    public void Report(TasImportProgress value)
    {
        var now = Environment.TickCount64;
        if (now - Interlocked.Read(ref _lastShown) < IntervalMilliseconds && value.Done != value.Total)
        {
            return;
        }
        Interlocked.Exchange(ref _lastShown, now);
        _ = show(value);
    }
}
