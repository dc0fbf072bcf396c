using Candor.AdminConsole;
using Candor.Storage;

namespace Candor.Tests.ConsoleTests;

/// <summary>The console's response-time sparkline, drawn from a monitor's minutes.</summary>
public sealed class SparklineTests
{
    private static readonly DateTimeOffset From = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Each_minute_is_drawn_at_the_mean_of_its_checks_and_a_minute_with_a_failure_is_marked()
    {
        var html = Sparkline.Render(
            [new RollupSpan("web", From, 2, 0, 0, 300, 200), new RollupSpan("web", From.AddMinutes(30), 3, 1, 0, 60, 30)],
            From,
            From.AddHours(1)).Value;

        Assert.Contains("Response time over the last 60 minutes: 20 ms to 150 ms, latest 20 ms", html, StringComparison.Ordinal);
        Assert.Contains("<polyline points=\"0,2 60,22.8\"", html, StringComparison.Ordinal);
        Assert.Contains("<rect class=\"spark-failure\" x=\"60\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("x=\"0\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_span_without_minutes_says_so()
    {
        Assert.Contains("no data", Sparkline.Render([], From, From.AddHours(1)).Value, StringComparison.Ordinal);
    }
}
