using System.Globalization;
using Candor.Storage;

namespace Candor.AdminConsole;

/// <summary>A monitor's response time over a recent span, as a small inline SVG drawn from the per-minute rollups.</summary>
public static class Sparkline
{
    private const double Width = 120;
    private const double Height = 28;

    /// <param name="minutes">Rollup minutes of one monitor, its locations summed, inside [from, to), oldest first.</param>
    public static Markup Render(IReadOnlyList<RollupSpan> minutes, DateTimeOffset from, DateTimeOffset to)
    {
        if (minutes.Count == 0)
        {
            return Html.Of($"<span class=\"muted\">no data</span>");
        }

        var span = Math.Max(1, (to - from).TotalMinutes);
        var top = Math.Max(1, minutes.Max(Ms));
        double X(DateTimeOffset at) => Math.Round((at - from).TotalMinutes / span * Width, 1);
        double Y(double ms) => Math.Round(Height - 2 - (ms / top * (Height - 4)), 1);

        // One minute of data is a point, which a polyline would not show.
        var line = minutes.Count == 1
            ? Html.Of($"<circle cx=\"{X(minutes[0].Start)}\" cy=\"{Y(Ms(minutes[0]))}\" r=\"2\" fill=\"currentColor\"/>")
            : Html.Of($"<polyline points=\"{string.Join(' ', minutes.Select(m => string.Create(CultureInfo.InvariantCulture, $"{X(m.Start)},{Y(Ms(m))}")))}\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\"/>");
        var failures = Html.Join(minutes.Where(m => m.Failures > 0).Select(m =>
            Html.Of($"<rect class=\"spark-failure\" x=\"{X(m.Start)}\" y=\"{Height - 3}\" width=\"2\" height=\"3\"/>")));
        var low = minutes.Min(Ms);
        var label = string.Create(CultureInfo.InvariantCulture,
            $"Response time over the last {span:0} minutes: {low:0} ms to {top:0} ms, latest {Ms(minutes[^1]):0} ms");
        return Html.Of($"""
            <svg class="spark" viewBox="0 0 {Width} {Height}" width="{Width}" height="{Height}" role="img" aria-label="{label}"><title>{label}</title>{line}{failures}</svg> <span class="spark-latest">{Ms(minutes[^1]):0} ms</span>
            """);
    }

    private static double Ms(RollupSpan minute) => minute.LatencySumMs / Math.Max(1, minute.Count);
}
