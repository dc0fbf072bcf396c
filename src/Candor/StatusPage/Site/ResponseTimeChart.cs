using System.Globalization;
using System.Text;

namespace Candor.StatusPage.Site;

/// <summary>A point of a chart line in the plot's own coordinates: x to the right, y downwards.</summary>
public readonly record struct ChartPoint(double X, double Y);

/// <summary>
/// A monitor's average response time as an SVG line chart drawn by Candor, with the checks that failed marked
/// along the bottom. The line breaks where no check ran rather than drawing across the gap: a silent stretch is
/// not evidence of anything. Colours come from the page's stylesheet (classes only), so that the chart follows
/// the light and dark schemes and no inline style is needed.
/// </summary>
public static class ResponseTimeChart
{
    public const double PlotWidth = 600;
    public const double PlotHeight = 120;

    /// <summary>Room on the left for the scale's labels and below for the times.</summary>
    private const double Left = 56;
    private const double Bottom = 22;
    private const double Top = 8;

    /// <summary>The runs of consecutive buckets, each as the points of one polyline.</summary>
    public static IReadOnlyList<IReadOnlyList<ChartPoint>> Lines(
        IReadOnlyList<LatencyBucket> buckets, DateTimeOffset from, DateTimeOffset to, TimeSpan bucketSize, double scaleMs)
    {
        var lines = new List<IReadOnlyList<ChartPoint>>();
        List<ChartPoint>? line = null;
        DateTimeOffset? previous = null;
        foreach (var bucket in buckets.Where(b => b.AverageMs is not null).OrderBy(b => b.Start))
        {
            if (line is null || previous is not { } p || bucket.Start - p > bucketSize)
            {
                line = [];
                lines.Add(line);
            }

            line.Add(new ChartPoint(X(bucket.Start + (bucketSize / 2), from, to), Y(bucket.AverageMs!.Value, scaleMs)));
            previous = bucket.Start;
        }

        return lines;
    }

    /// <summary>The top of the scale: the slowest average rounded up to 1, 2 or 5 times a power of ten (at least 10 ms).</summary>
    public static double Scale(double slowestMs)
    {
        var target = Math.Max(slowestMs, 10);
        var power = Math.Pow(10, Math.Floor(Math.Log10(target)));
        foreach (var step in new[] { 1.0, 2.0, 5.0, 10.0 })
        {
            if (step * power >= target)
            {
                return step * power;
            }
        }

        return 10 * power;
    }

    /// <param name="id">Unique in the page; the title and description are named after it.</param>
    /// <param name="label">What the chart is of, e.g. "Home page: average response time, last 24 hours".</param>
    /// <param name="timeLabel">How the axis writes an instant, in the page's time zone.</param>
    public static string Svg(
        string id,
        string label,
        IReadOnlyList<LatencyBucket> buckets,
        DateTimeOffset from,
        DateTimeOffset to,
        TimeSpan bucketSize,
        Func<DateTimeOffset, string> timeLabel)
    {
        var measured = buckets.Where(b => b.AverageMs is not null).ToList();
        var scale = Scale(measured.Select(b => b.AverageMs!.Value).DefaultIfEmpty(0).Max());
        var failed = buckets.Where(b => b.Failures > 0).ToList();
        var description = measured.Count == 0
            ? "No checks ran in this period."
            : $"Average {Milliseconds(measured.Sum(b => b.LatencySumMs) / measured.Sum(b => b.Count))}, "
                + $"slowest period {Milliseconds(measured.Max(b => b.AverageMs!.Value))}; "
                + $"{failed.Sum(b => b.Failures).ToString("N0", CultureInfo.InvariantCulture)} failed checks "
                + $"of {measured.Sum(b => b.Count).ToString("N0", CultureInfo.InvariantCulture)}.";

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg class="chart-svg" viewBox="0 0 {Left + PlotWidth + 8} {Top + PlotHeight + Bottom}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg">""");
        svg.Append(CultureInfo.InvariantCulture, $"""<title id="{id}-title">{Html.Text(label)}</title><desc id="{id}-desc">{Html.Text(description)}</desc>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<g transform="translate({Left} {Top})">""");
        foreach (var fraction in new[] { 0.0, 0.5, 1.0 })
        {
            var y = Number(PlotHeight * (1 - fraction));
            svg.Append(CultureInfo.InvariantCulture, $"""<line class="grid" x1="0" y1="{y}" x2="{Number(PlotWidth)}" y2="{y}"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text class="axis" x="-6" y="{y}" text-anchor="end" dominant-baseline="middle">{Milliseconds(scale * fraction)}</text>""");
        }

        foreach (var bucket in failed)
        {
            var x = Number(X(bucket.Start, from, to));
            var width = Number(Math.Max(1.5, PlotWidth * (bucketSize / (to - from))));
            svg.Append(CultureInfo.InvariantCulture, $"""<rect class="fail" x="{x}" y="{Number(PlotHeight - 4)}" width="{width}" height="4"/>""");
        }

        foreach (var line in Lines(buckets, from, to, bucketSize, scale))
        {
            var points = string.Join(' ', line.Select(p => $"{Number(p.X)},{Number(p.Y)}"));
            svg.Append(line.Count == 1
                ? $"""<circle class="dot" cx="{Number(line[0].X)}" cy="{Number(line[0].Y)}" r="2"/>"""
                : $"""<polyline class="line" points="{points}"/>""");
        }

        svg.Append(CultureInfo.InvariantCulture, $"""<text class="axis" x="0" y="{Number(PlotHeight + 16)}">{Html.Text(timeLabel(from))}</text>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text class="axis" x="{Number(PlotWidth)}" y="{Number(PlotHeight + 16)}" text-anchor="end">{Html.Text(timeLabel(to))}</text>""");
        svg.Append("</g></svg>");
        return svg.ToString();
    }

    public static string Milliseconds(double ms) =>
        ms >= 1000
            ? (ms / 1000).ToString("0.##", CultureInfo.InvariantCulture) + " s"
            : ms.ToString("0", CultureInfo.InvariantCulture) + " ms";

    private static double X(DateTimeOffset at, DateTimeOffset from, DateTimeOffset to) =>
        Math.Clamp((at - from) / (to - from), 0, 1) * PlotWidth;

    private static double Y(double ms, double scaleMs) => PlotHeight * (1 - Math.Clamp(ms / scaleMs, 0, 1));

    private static string Number(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);
}
