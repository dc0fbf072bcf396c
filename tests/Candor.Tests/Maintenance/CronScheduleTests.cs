using Candor.Maintenance;

namespace Candor.Tests.Maintenance;

public class CronScheduleTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static DateTimeOffset Utc(int y, int mo, int d, int h, int mi) => new(y, mo, d, h, mi, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0 2 * * SUN", "2026-11-18T12:00Z", "2026-11-22T01:00Z")] // Sunday 02:00 CET
    [InlineData("*/15 * * * *", "2026-11-22T08:07Z", "2026-11-22T08:15Z")]
    [InlineData("30 1 1 * *", "2026-11-22T00:00Z", "2026-12-01T00:30Z")]
    [InlineData("0 0 29 2 *", "2026-03-01T00:00Z", "2028-02-28T23:00Z")]
    [InlineData("0 9 1-7 * MON", "2026-11-22T00:00Z", "2026-11-23T08:00Z")] // either day field may match, as crontab
    public void It_finds_the_next_run_in_the_zone(string cron, string after, string expected)
    {
        var schedule = CronSchedule.Parse(cron);
        var next = schedule.Next(DateTimeOffset.Parse(after, System.Globalization.CultureInfo.InvariantCulture), Berlin);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Fact]
    public void A_local_time_the_clock_change_skips_moves_to_the_next_match()
    {
        // 02:00 on 29 March 2026 does not exist in Berlin; the next Sunday at 02:00 is in summer time.
        var next = CronSchedule.Parse("0 2 * * 0").Next(Utc(2026, 3, 24, 12, 0), Berlin);
        Assert.Equal(Utc(2026, 4, 5, 0, 0), next);
    }

    [Fact]
    public void It_stays_on_local_time_across_daylight_saving()
    {
        var schedule = CronSchedule.Parse("0 2 * * SUN");
        var winter = schedule.Next(Utc(2026, 10, 20, 0, 0), Berlin);
        var summer = schedule.Next(Utc(2026, 10, 20, 0, 0).AddDays(-150), Berlin);
        Assert.Equal(1, winter.UtcDateTime.Hour);
        Assert.Equal(0, summer.UtcDateTime.Hour);
    }

    [Theory]
    [InlineData("0 2 * *", "write five fields")]
    [InlineData("61 2 * * *", "'61' is not a valid minute field")]
    [InlineData("0 2 * * FUNDAY", "'FUNDAY' is not a valid day-of-week field")]
    [InlineData("0 5-2 * * *", "'5-2' is not a valid hour field")]
    [InlineData("*/0 * * * *", "'*/0' is not a valid minute field")]
    public void It_rejects_bad_expressions_with_the_field_named(string cron, string message)
    {
        var error = Assert.Throws<FormatException>(() => CronSchedule.Parse(cron));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
