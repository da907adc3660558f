using System.Globalization;

namespace EserSecurity.Benchmarks.Circuits;

/// <summary>
/// The machine's CPU time from the first line of /proc/stat (all cores, in clock ticks): how busy the cores were between
/// two readings, whoever used them. On a shared machine it tells a console starved by other work from one that is not.
/// </summary>
internal readonly record struct MachineCpu(long Busy, long Total)
{
    public static MachineCpu Read()
    {
        const string Stat = "/proc/stat";
        if (!File.Exists(Stat))
        {
            return default;
        }
        // cpu user nice system idle iowait irq softirq steal ...
        var fields = File.ReadLines(Stat).First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Take(8).Sum();
        return new MachineCpu(total - fields[3] - fields[4], total);
    }

    /// <summary>The share of all cores' time that was busy since <paramref name="earlier"/> (0 to 1).</summary>
    public double BusyShareSince(MachineCpu earlier) =>
        Total > earlier.Total ? (double)(Busy - earlier.Busy) / (Total - earlier.Total) : 0;
}
