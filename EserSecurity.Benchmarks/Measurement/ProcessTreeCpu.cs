using System.Globalization;

namespace EserSecurity.Benchmarks.Measurement;

/// <summary>
/// CPU time used by the descendants of a process (on Linux, from /proc): here, the Playwright driver and the Chromium
/// processes this benchmark started, so the browsers' share of a round can be set beside the console's.
/// </summary>
public static class ProcessTreeCpu
{
    private const string Proc = "/proc";

    /// <summary>Sum of user and system time of every live descendant of <paramref name="rootPid"/>, except the excluded process and its own descendants.</summary>
    public static TimeSpan OfDescendants(int rootPid, int excludedPid)
    {
        if (!Directory.Exists(Proc))
        {
            return TimeSpan.Zero;
        }
        var stats = new Dictionary<int, (int Parent, long Ticks)>();
        foreach (var dir in Directory.EnumerateDirectories(Proc))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && TryRead(pid, out var stat))
            {
                stats[pid] = stat;
            }
        }
        var children = stats.ToLookup(s => s.Value.Parent, s => s.Key);
        long ticks = 0;
        var pending = new Stack<int>(children[rootPid]);
        while (pending.Count > 0)
        {
            var pid = pending.Pop();
            if (pid == excludedPid)
            {
                continue;
            }
            ticks += stats[pid].Ticks;
            foreach (var child in children[pid])
            {
                pending.Push(child);
            }
        }
        // Linux reports these times in clock ticks of USER_HZ, which is 100 on every mainstream build.
        return TimeSpan.FromMilliseconds(ticks * 10.0);
    }

    private static bool TryRead(int pid, out (int Parent, long Ticks) stat)
    {
        stat = default;
        try
        {
            var text = File.ReadAllText($"{Proc}/{pid}/stat");
            // The command name is in parentheses and may contain spaces: the fields that follow start after the last ')'.
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            // After the name: state(0) ppid(1) ... utime(11) stime(12).
            stat = (int.Parse(fields[1], CultureInfo.InvariantCulture),
                long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
            return true;
        }
        catch (IOException)
        {
            return false; // the process ended while we read
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
