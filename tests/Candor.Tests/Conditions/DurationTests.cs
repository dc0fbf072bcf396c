using Candor.Configuration;

namespace Candor.Tests.Conditions;

public sealed class DurationTests
{
    [Theory]
    [InlineData("500ms", 0, 0, 0, 0, 500)]
    [InlineData("30s", 0, 0, 0, 30, 0)]
    [InlineData("5m", 0, 0, 5, 0, 0)]
    [InlineData("2h", 0, 2, 0, 0, 0)]
    [InlineData("14d", 14, 0, 0, 0, 0)]
    [InlineData("1h30m", 0, 1, 30, 0, 0)]
    [InlineData("2d12h", 2, 12, 0, 0, 0)]
    [InlineData("1.5s", 0, 0, 0, 1, 500)]
    [InlineData("0s", 0, 0, 0, 0, 0)]
    public void It_reads_units_and_compounds(string text, int days, int hours, int minutes, int seconds, int milliseconds)
    {
        Assert.True(Duration.TryParse(text, out var value));
        Assert.Equal(new TimeSpan(days, hours, minutes, seconds, milliseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("30x")]
    [InlineData("m")]
    [InlineData("-5s")]
    [InlineData("5m1h")]
    [InlineData("1h1h")]
    [InlineData("1.2.3s")]
    [InlineData("5 m")]
    [InlineData("99999999999999999999d")]
    public void It_refuses_what_is_not_a_duration(string text)
    {
        Assert.False(Duration.TryParse(text, out _));
    }

    [Theory]
    [InlineData(800, "800ms")]
    [InlineData(1_200, "1.2s")]
    [InlineData(1_234, "1.23s")]
    [InlineData(300_000, "5m")]
    [InlineData(5_400_000, "1h30m")]
    [InlineData(150_000, "2m30s")]
    [InlineData(1_209_600_000, "14d")]
    [InlineData(0, "0s")]
    [InlineData(-2_000, "-2s")]
    public void It_formats_the_shortest_form_that_reads_back(long milliseconds, string expected)
    {
        var value = TimeSpan.FromMilliseconds(milliseconds);

        Assert.Equal(expected, Duration.Format(value));
        if (milliseconds >= 0 && milliseconds % 10 == 0)
        {
            Assert.True(Duration.TryParse(expected, out var back));
            Assert.Equal(value, back);
        }
    }
}
