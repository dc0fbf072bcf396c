using System.Xml.Linq;
using Candor.StatusPage.Site;

namespace Candor.Tests.Pages;

public sealed class ResponseTimeChartTests
{
    private static readonly DateTimeOffset From = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddHours(1);
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static LatencyBucket Bucket(int minute, double averageMs, int count = 10, int failures = 0) =>
        new(From.AddMinutes(minute), count, failures, averageMs * count, averageMs * 2);

    [Fact]
    public void Each_bucket_is_a_point_at_its_middle_scaled_to_the_slowest()
    {
        var lines = ResponseTimeChart.Lines([Bucket(0, 50), Bucket(5, 100), Bucket(10, 25)], From, To, FiveMinutes, scaleMs: 100);

        var line = Assert.Single(lines);
        Assert.Equal(
            [new ChartPoint(25, 60), new ChartPoint(75, 0), new ChartPoint(125, 90)],
            line.Select(p => new ChartPoint(Math.Round(p.X, 6), Math.Round(p.Y, 6))));
    }

    [Fact]
    public void A_stretch_without_checks_breaks_the_line_instead_of_bridging_it()
    {
        var lines = ResponseTimeChart.Lines([Bucket(0, 50), Bucket(5, 50), Bucket(30, 50), Bucket(35, 50), Bucket(40, 50)], From, To, FiveMinutes, 100);

        Assert.Equal([2, 3], lines.Select(l => l.Count));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(7, 10)]
    [InlineData(123, 200)]
    [InlineData(480, 500)]
    [InlineData(500, 500)]
    [InlineData(1001, 2000)]
    public void The_scale_rounds_up_to_one_two_or_five_times_a_power_of_ten(double slowest, double scale) =>
        Assert.Equal(scale, ResponseTimeChart.Scale(slowest));

    [Fact]
    public void The_svg_has_a_polyline_per_run_a_mark_per_failed_bucket_and_a_text_alternative()
    {
        var svg = ResponseTimeChart.Svg(
            "chart-home-24h", "Home: average response time", [Bucket(0, 40), Bucket(5, 80, failures: 2), Bucket(20, 60)], From, To, FiveMinutes, at => at.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture));

        var root = XElement.Parse(svg);
        Assert.Equal("img", root.Attribute("role")?.Value);
        Assert.Equal("chart-home-24h-title chart-home-24h-desc", root.Attribute("aria-labelledby")?.Value);
        Assert.Equal("Home: average response time", root.Element(Svg + "title")?.Value);
        Assert.Equal("Average 60 ms, slowest period 80 ms; 2 failed checks of 30.", root.Element(Svg + "desc")?.Value);
        var polyline = Assert.Single(root.Descendants(Svg + "polyline"));
        Assert.Equal("25,72 75,24", polyline.Attribute("points")?.Value);
        Assert.Single(root.Descendants(Svg + "circle"));
        var mark = Assert.Single(root.Descendants(Svg + "rect"), r => r.Attribute("class")?.Value == "fail");
        Assert.Equal("50", mark.Attribute("x")?.Value);
        Assert.Contains(root.Descendants(Svg + "text"), t => t.Value == "100 ms");
        Assert.Contains(root.Descendants(Svg + "text"), t => t.Value == "01:00");
        Assert.DoesNotContain("style=", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chart_without_checks_says_so()
    {
        var root = XElement.Parse(ResponseTimeChart.Svg("c", "Empty", [], From, To, FiveMinutes, _ => ""));

        Assert.Equal("No checks ran in this period.", root.Element(Svg + "desc")?.Value);
        Assert.Empty(root.Descendants(Svg + "polyline"));
    }
}
