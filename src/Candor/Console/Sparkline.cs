using System.Globalization;
using Candor.Storage;

namespace Candor.AdminConsole;

/// <summary>A monitor's response time over a recent span, as a small inline SVG drawn from the per-minute rollups.</summary>
public static class Sparkline
{
    private const double Width = 120;
    private const double Height = 28;

    /// <param name="rollups">Rollup minutes of one monitor, any location, inside [from, to).</param>
    public static Markup Render(IReadOnlyList<RollupMinute> rollups, DateTimeOffset from, DateTimeOffset to)
    {
        var minutes = rollups
            .GroupBy(r => r.Minute)
            .OrderBy(g => g.Key)
            .Select(g => (
                At: g.Key,
                Ms: g.Sum(r => r.LatencySumMs) / Math.Max(1, g.Sum(r => r.Count)),
                Failed: g.Sum(r => r.Failures) > 0))
            .ToList();
        if (minutes.Count == 0)
        {
            return Html.Of($"<span class=\"muted\">no data</span>");
        }

        var span = Math.Max(1, (to - from).TotalMinutes);
        var top = Math.Max(1, minutes.Max(m => m.Ms));
        double X(DateTimeOffset at) => Math.Round((at - from).TotalMinutes / span * Width, 1);
        double Y(double ms) => Math.Round(Height - 2 - (ms / top * (Height - 4)), 1);

        // One minute of data is a point, which a polyline would not show.
        var line = minutes.Count == 1
            ? Html.Of($"<circle cx=\"{X(minutes[0].At)}\" cy=\"{Y(minutes[0].Ms)}\" r=\"2\" fill=\"currentColor\"/>")
            : Html.Of($"<polyline points=\"{string.Join(' ', minutes.Select(m => string.Create(CultureInfo.InvariantCulture, $"{X(m.At)},{Y(m.Ms)}")))}\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\"/>");
        var failures = Html.Join(minutes.Where(m => m.Failed).Select(m =>
            Html.Of($"<rect class=\"spark-failure\" x=\"{X(m.At)}\" y=\"{Height - 3}\" width=\"2\" height=\"3\"/>")));
        var low = minutes.Min(m => m.Ms);
        var label = string.Create(CultureInfo.InvariantCulture,
            $"Response time over the last {span:0} minutes: {low:0} ms to {top:0} ms, latest {minutes[^1].Ms:0} ms");
        return Html.Of($"""
            <svg class="spark" viewBox="0 0 {Width} {Height}" width="{Width}" height="{Height}" role="img" aria-label="{label}"><title>{label}</title>{line}{failures}</svg> <span class="spark-latest">{minutes[^1].Ms:0} ms</span>
            """);
    }
}
