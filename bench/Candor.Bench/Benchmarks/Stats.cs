namespace Candor.Bench.Benchmarks;

internal static class Stats
{
    /// <summary>The nearest-rank percentile (0 to 100) of values already sorted ascending.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percentile)
    {
        if (sorted.Count == 0)
        {
            throw new InvalidOperationException("no values to take a percentile of");
        }

        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public static double Median(IEnumerable<double> values) => Percentile([.. values.Order()], 50);
}
