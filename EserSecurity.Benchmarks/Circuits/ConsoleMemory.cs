using System.Globalization;

namespace EserSecurity.Benchmarks.Circuits;

/// <summary>
/// The console's memory at one moment, in MB: its resident set from /proc (when this program started it and so knows
/// its process id), and from its own /metrics endpoint the managed heap after the last garbage collection (summed over
/// the generations) and the working set the runtime reports. Null where a source is not available.
/// </summary>
internal sealed record ConsoleMemory(double? ResidentMb, double? ManagedHeapMb, double? WorkingSetMb)
{
    private const double Mb = 1024 * 1024;

    public static async Task<ConsoleMemory> ReadAsync(HttpClient http, string baseUrl, int? processId, CancellationToken ct)
    {
        var resident = processId is int pid ? ResidentKb(pid) * 1024 / Mb : null;
        string metrics;
        try
        {
            metrics = await http.GetStringAsync(new Uri(new Uri(baseUrl.TrimEnd('/') + "/"), "metrics"), ct);
        }
        catch (HttpRequestException)
        {
            // Metrics are off on this console (they are on in Development).
            return new ConsoleMemory(resident, null, null);
        }
        return new ConsoleMemory(resident, Sum(metrics, "dotnet_gc_last_collection_heap_size_bytes") / Mb,
            Sum(metrics, "dotnet_process_memory_working_set_bytes") / Mb);
    }

    /// <summary>
    /// The console's thread pool from its /metrics endpoint (threads, and work items waiting for one), or null when metrics
    /// are off: a thread pool that grows while work waits says the console blocks threads rather than runs out of CPU.
    /// </summary>
    public static async Task<string?> ThreadPoolAsync(HttpClient http, string baseUrl, CancellationToken ct)
    {
        try
        {
            var metrics = await http.GetStringAsync(new Uri(new Uri(baseUrl.TrimEnd('/') + "/"), "metrics"), ct);
            return $"{Sum(metrics, "dotnet_thread_pool_thread_count"):0} thread-pool threads, {Sum(metrics, "dotnet_thread_pool_queue_length"):0} work items waiting";
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>VmRSS from /proc/&lt;pid&gt;/status, in kB.</summary>
    private static double? ResidentKb(int pid)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status))
        {
            return null;
        }
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>The sum of every sample of a metric in Prometheus' text format (one per label set), or null when it is missing.</summary>
    private static double? Sum(string metrics, string name)
    {
        double? sum = null;
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && (line[name.Length] is '{' or ' '))
            {
                var value = line[(line.LastIndexOf('}') is var brace and >= 0 ? brace + 1 : name.Length)..].Trim().Split(' ')[0];
                if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var sample))
                {
                    sum = (sum ?? 0) + sample;
                }
            }
        }
        return sum;
    }
}
