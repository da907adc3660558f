using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Documents;

/// <summary>
/// How many documents and CSV exports one person may have generated in any minute
/// (<see cref="DocumentOptions.PerPersonPerMinute"/>): generating reads and renders a whole school system, so one
/// person repeating it cannot take the console from everyone else. The count is kept in memory, per console instance.
/// </summary>
public sealed class DocumentGenerationLimit(IOptions<DocumentOptions> options, TimeProvider clock)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<int, Queue<DateTimeOffset>> _generated = [];

    /// <summary>What the person is told when they have reached the limit.</summary>
    public static string RefusalMessage(TimeSpan retryAfter) =>
        $"You have asked for more documents in the last minute than the console makes for one person. Wait {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))} seconds and try again.";

    /// <summary>
    /// Counts one generation for the person and says whether it may run now; when not, how long until it may.
    /// A refused attempt does not count.
    /// </summary>
    public bool TryStart(int staffMemberId, out TimeSpan retryAfter)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            foreach (var idle in _generated.Where(p => p.Value.All(at => at <= now - Window)).Select(p => p.Key).ToList())
            {
                _generated.Remove(idle);
            }
            if (!_generated.TryGetValue(staffMemberId, out var times))
            {
                _generated[staffMemberId] = times = new Queue<DateTimeOffset>();
            }
            while (times.TryPeek(out var oldest) && oldest <= now - Window)
            {
                times.Dequeue();
            }
            if (times.Count >= options.Value.PerPersonPerMinute)
            {
                retryAfter = times.Peek() + Window - now;
                return false;
            }
            times.Enqueue(now);
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }
}
