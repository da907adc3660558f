namespace EserSecurity.Benchmarks.Measurement;

/// <summary>Cores and load average, printed with the figures: other work on the machine shows in every one of them.</summary>
internal static class MachineLoad
{
    public static string Describe()
    {
        const string LoadAverage = "/proc/loadavg";
        var load = File.Exists(LoadAverage) ? string.Join(" ", File.ReadAllText(LoadAverage).Split(' ')[..3]) : "unknown";
        return $"{Environment.ProcessorCount} cores, load average {load} (1, 5, 15 min)";
    }
}
