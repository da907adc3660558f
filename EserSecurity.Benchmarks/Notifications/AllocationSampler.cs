using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace EserSecurity.Benchmarks.Notifications;

/// <summary>
/// The runtime's allocation samples while it listens (an event about every 100 KB allocated, naming the type of the
/// object that crossed the mark), summed by type: where the bytes go, in proportion, without a profiler.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const int AllocationTick = 10;
    private const long GcKeyword = 0x1;

    private readonly ConcurrentDictionary<string, long> _bytes = new();
    private volatile bool _listening;

    public void Start() => _listening = true;

    public IReadOnlyList<(string Type, long Bytes)> Stop()
    {
        _listening = false;
        var sampled = _bytes.Select(t => (t.Key, t.Value)).OrderByDescending(t => t.Value).ToList();
        _bytes.Clear();
        return sampled;
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_listening || e.EventId != AllocationTick || e.PayloadNames is not { } names || e.Payload is not { } payload)
        {
            return;
        }
        var type = payload[names.IndexOf("TypeName")] as string ?? "?";
        var amount = Convert.ToInt64(payload[names.IndexOf("AllocationAmount64")], System.Globalization.CultureInfo.InvariantCulture);
        _bytes.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }
}
