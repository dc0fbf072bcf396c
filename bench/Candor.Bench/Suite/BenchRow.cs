using System.Globalization;

namespace Candor.Bench.Suite;

/// <summary>A figure with its unit: <c>/s</c>, <c>ms</c>, <c>s</c>, <c>MiB</c> or <c>%</c>.</summary>
internal readonly record struct Measure(double Value, string Unit)
{
    public override string ToString()
    {
        var format = Math.Abs(Value) >= 100 ? "N0" : Math.Abs(Value) >= 10 ? "N1" : "N2";
        var number = Value.ToString(format, CultureInfo.InvariantCulture);
        return Unit == "/s" ? number + "/s" : $"{number} {Unit}";
    }
}

/// <summary>What a figure must reach, and how to tell from the figure and its baseline.</summary>
internal sealed record Target(string Text, Func<double, double?, bool> Holds)
{
    public static Target AtLeastShareOfBaseline(double share) =>
        new($"≥ {Percent(share)} of baseline", (candor, baseline) => baseline is > 0 && candor / baseline >= share);

    public static Target AtMostTimesBaseline(double factor) =>
        new($"≤ {factor.ToString(CultureInfo.InvariantCulture)} × baseline", (candor, baseline) => baseline is > 0 && candor / baseline <= factor);

    public static Target AtMost(Measure limit) => new($"≤ {limit}", (candor, _) => candor <= limit.Value);

    public static Target AtLeast(Measure limit) => new($"≥ {limit}", (candor, _) => candor >= limit.Value);

    /// <summary>At most the baseline plus a margin, as detection is held against its theoretical minimum.</summary>
    public static Target AtMostBaselinePlus(Measure margin) =>
        new($"≤ baseline + {margin}", (candor, baseline) => baseline is { } floor && candor <= floor + margin.Value);

    private static string Percent(double share) => (share * 100).ToString("0", CultureInfo.InvariantCulture) + " %";
}

/// <summary>
/// One line of the results table: Candor's figure, the baseline's from the same run, and whether the target holds.
/// A row without a figure is a benchmark that failed to run; its note says why.
/// </summary>
internal sealed record BenchRow(string Id, string Figure, Measure? Candor, Measure? Baseline, Target? Target, string? Note = null)
{
    public static BenchRow Failed(string id, string figure, string why) => new(id, figure, null, null, null, why);

    public double? Ratio => Candor is { } candor && Baseline is { Value: > 0 } baseline ? candor.Value / baseline.Value : null;

    public bool Passed => Candor is { } candor && Target is not null && Target.Holds(candor.Value, Baseline?.Value);

    public string Verdict => Candor is null ? "failed" : Target is null ? "—" : Passed ? "pass" : "short";
}
