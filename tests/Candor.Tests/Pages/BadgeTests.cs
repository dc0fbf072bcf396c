using System.Xml.Linq;
using Candor.Monitoring;
using Candor.StatusPage.Site;

namespace Candor.Tests.Pages;

public sealed class BadgeTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void A_status_badge_names_the_component_and_its_status_in_the_status_colour()
    {
        var root = XElement.Parse(Badge.Status("API", ComponentStatus.MajorOutage));

        Assert.Equal("API: major outage", root.Attribute("aria-label")?.Value);
        Assert.Equal("API: major outage", root.Element(Svg + "title")?.Value);
        Assert.Equal("20", root.Attribute("height")?.Value);
        var rects = root.Descendants(Svg + "rect").Where(r => r.Parent?.Name == Svg + "g").ToList();
        Assert.Equal(Badge.Grey, rects[0].Attribute("fill")?.Value);
        Assert.Equal(Badge.Red, rects[1].Attribute("fill")?.Value);
        var width = double.Parse(root.Attribute("width")!.Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(width, double.Parse(rects[0].Attribute("width")!.Value, System.Globalization.CultureInfo.InvariantCulture)
            + double.Parse(rects[1].Attribute("width")!.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["API", "API", "major outage", "major outage"], root.Descendants(Svg + "text").Select(t => t.Value));
    }

    [Theory]
    [InlineData(ComponentStatus.Operational, "operational", Badge.Green)]
    [InlineData(ComponentStatus.DegradedPerformance, "degraded performance", Badge.Yellow)]
    [InlineData(ComponentStatus.PartialOutage, "partial outage", Badge.Orange)]
    [InlineData(ComponentStatus.UnderMaintenance, "under maintenance", Badge.Blue)]
    public void Each_status_has_its_words_and_colour(ComponentStatus status, string words, string colour)
    {
        var svg = Badge.Status("Website", status);

        Assert.Contains($">{words}</text>", svg, StringComparison.Ordinal);
        Assert.Contains($"fill=\"{colour}\"", svg, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1.0, "100%", Badge.Green)]
    [InlineData(0.99999, "99.99%", Badge.Green)]
    [InlineData(0.9995, "99.95%", Badge.Green)]
    [InlineData(0.995, "99.5%", Badge.YellowGreen)]
    [InlineData(0.97, "97%", Badge.Yellow)]
    [InlineData(0.5, "50%", Badge.Red)]
    public void An_uptime_badge_never_rounds_up_to_100_percent_and_is_coloured_by_thresholds(double uptime, string shown, string colour)
    {
        var root = XElement.Parse(Badge.Uptime(30, uptime));

        Assert.Equal($"uptime 30d: {shown}", root.Attribute("aria-label")?.Value);
        Assert.Contains(root.Descendants(Svg + "rect"), r => r.Attribute("fill")?.Value == colour);
    }

    [Fact]
    public void An_uptime_badge_without_data_says_so_in_grey()
    {
        var root = XElement.Parse(Badge.Uptime(7, null));

        Assert.Equal("uptime 7d: no data", root.Attribute("aria-label")?.Value);
    }

    [Fact]
    public void A_name_with_markup_is_text_in_the_badge()
    {
        var root = XElement.Parse(Badge.Status("<b>Tom & Jerry</b>", ComponentStatus.Operational));

        Assert.Equal("<b>Tom & Jerry</b>: operational", root.Attribute("aria-label")?.Value);
        Assert.Empty(root.Descendants("b"));
    }

    [Fact]
    public void Longer_texts_make_wider_badges()
    {
        static double Width(string svg) => double.Parse(XElement.Parse(svg).Attribute("width")!.Value, System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(Width(Badge.Status("Support e-mail", ComponentStatus.Operational)) > Width(Badge.Status("API", ComponentStatus.Operational)));
        Assert.True(Width(Badge.Status("API", ComponentStatus.DegradedPerformance)) > Width(Badge.Status("API", ComponentStatus.Operational)));
    }
}
