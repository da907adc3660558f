namespace EserSecurity.Benchmarks.Measurement;

/// <summary>Minimum, median, 95th percentile and maximum of a sample, by nearest rank (every figure is a measured value).</summary>
internal sealed record Percentiles(int Count, double Min, double Median, double P95, double Max)
{
    public static Percentiles Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new InvalidOperationException("No measurement was taken.");
        }
        return new Percentiles(sorted.Length, sorted[0], Rank(sorted, 0.50), Rank(sorted, 0.95), sorted[^1]);
    }

    private static double Rank(double[] sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
}
