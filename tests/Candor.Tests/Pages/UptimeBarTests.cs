using Candor.Monitoring;
using Candor.StatusPage.Site;

namespace Candor.Tests.Pages;

public sealed class UptimeBarTests
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset LongAgo = Now.AddYears(-1);
    private static readonly Dictionary<DateOnly, CheckCount> NoChecks = [];

    private static ComponentStatusChange Change(ComponentStatus from, ComponentStatus to, DateTimeOffset at) => new("web", from, to, at);

    [Fact]
    public void It_has_one_day_per_day_ending_today_in_the_page_time_zone()
    {
        var bar = UptimeBar.Compute(Utc, Now, LongAgo, ComponentStatus.Operational, [], [], NoChecks);

        Assert.Equal(90, bar.Count);
        Assert.Equal(new DateOnly(2026, 11, 20), bar[^1].Date);
        Assert.Equal(new DateOnly(2026, 8, 23), bar[0].Date);
        Assert.All(bar, d => Assert.Equal(DayHealth.Operational, d.Worst));
        Assert.Equal(TimeSpan.FromHours(12), bar[^1].Measured);
        Assert.Equal(1.0, UptimeBar.Overall(bar, 90));
    }

    [Fact]
    public void A_six_hour_major_outage_colours_its_day_and_takes_a_quarter_of_its_uptime()
    {
        var start = new DateTimeOffset(2026, 11, 18, 3, 0, 0, TimeSpan.Zero);
        var changes = new[]
        {
            Change(ComponentStatus.Operational, ComponentStatus.MajorOutage, start),
            Change(ComponentStatus.MajorOutage, ComponentStatus.Operational, start.AddHours(6)),
        };
        var incident = new IncidentSpan("abc", "Website: major outage", start, start.AddHours(6));

        var bar = UptimeBar.Compute(Utc, Now, LongAgo, ComponentStatus.Operational, changes, [incident], NoChecks);

        var day = bar.Single(d => d.Date == new DateOnly(2026, 11, 18));
        Assert.Equal(DayHealth.MajorOutage, day.Worst);
        Assert.Equal(0.75, day.Uptime);
        Assert.Equal([incident], day.Incidents);
        Assert.Equal(DayHealth.Operational, bar.Single(d => d.Date == new DateOnly(2026, 11, 17)).Worst);
        Assert.Empty(bar.Single(d => d.Date == new DateOnly(2026, 11, 19)).Incidents);
    }

    [Fact]
    public void A_partial_outage_counts_as_down_while_degraded_performance_and_maintenance_only_colour_the_day()
    {
        var day = new DateTimeOffset(2026, 11, 19, 0, 0, 0, TimeSpan.Zero);
        var changes = new[]
        {
            Change(ComponentStatus.Operational, ComponentStatus.DegradedPerformance, day.AddHours(1)),
            Change(ComponentStatus.DegradedPerformance, ComponentStatus.UnderMaintenance, day.AddHours(4)),
            Change(ComponentStatus.UnderMaintenance, ComponentStatus.PartialOutage, day.AddHours(6)),
            Change(ComponentStatus.PartialOutage, ComponentStatus.Operational, day.AddHours(12)),
        };

        var bar = UptimeBar.Compute(Utc, Now, LongAgo, ComponentStatus.Operational, changes, [], NoChecks);

        var troubled = bar.Single(d => d.Date == new DateOnly(2026, 11, 19));
        Assert.Equal(DayHealth.PartialOutage, troubled.Worst);
        Assert.Equal(TimeSpan.FromHours(6), troubled.Down);
        Assert.Equal(0.75, troubled.Uptime);
    }

    [Fact]
    public void An_outage_that_began_before_the_window_and_goes_on_fills_every_day_until_now()
    {
        var changes = new[] { Change(ComponentStatus.MajorOutage, ComponentStatus.Operational, Now.AddHours(-2)) };

        var bar = UptimeBar.Compute(Utc, Now, LongAgo, ComponentStatus.Operational, changes, [], NoChecks);

        Assert.All(bar.SkipLast(1), d => Assert.Equal(0.0, d.Uptime));
        Assert.Equal(DayHealth.MajorOutage, bar[^1].Worst);
        Assert.Equal(TimeSpan.FromHours(10), bar[^1].Down);
    }

    [Fact]
    public void Days_before_the_component_existed_have_no_data_and_its_first_day_counts_from_its_creation()
    {
        var created = new DateTimeOffset(2026, 11, 19, 18, 0, 0, TimeSpan.Zero);

        var bar = UptimeBar.Compute(Utc, Now, created, ComponentStatus.Operational, [], [], NoChecks);

        Assert.All(bar.SkipLast(2), d => Assert.Equal(DayHealth.NoData, d.Worst));
        Assert.Null(bar[0].Uptime);
        Assert.Equal(TimeSpan.FromHours(6), bar[^2].Measured);
        Assert.Equal(DayHealth.Operational, bar[^2].Worst);
    }

    [Fact]
    public void Days_are_cut_at_local_midnight_so_the_day_summer_time_begins_has_23_hours()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var now = new DateTimeOffset(2026, 4, 2, 12, 0, 0, TimeSpan.Zero);

        var bar = UptimeBar.Compute(berlin, now, LongAgo, ComponentStatus.Operational, [], [], NoChecks);

        Assert.Equal(TimeSpan.FromHours(23), bar.Single(d => d.Date == new DateOnly(2026, 3, 29)).Measured);
        Assert.Equal(TimeSpan.FromHours(24), bar.Single(d => d.Date == new DateOnly(2026, 3, 30)).Measured);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 0, 0, 0, TimeSpan.FromHours(1)), UptimeBar.LocalMidnight(new DateOnly(2026, 3, 29), berlin));
    }

    [Fact]
    public void The_checks_of_each_day_come_from_the_rollups()
    {
        var checks = new Dictionary<DateOnly, CheckCount> { [new DateOnly(2026, 11, 20)] = new(1440, 3) };

        var bar = UptimeBar.Compute(Utc, Now, LongAgo, ComponentStatus.Operational, [], [], checks);

        Assert.Equal(new CheckCount(1440, 3), bar[^1].Checks);
        Assert.Equal(default, bar[^2].Checks);
    }

    [Fact]
    public void Uptime_over_several_days_is_weighted_by_the_time_measured()
    {
        var start = Now.AddHours(-12);
        var changes = new[] { Change(ComponentStatus.Operational, ComponentStatus.MajorOutage, start), Change(ComponentStatus.MajorOutage, ComponentStatus.Operational, start.AddHours(3)) };

        var bar = UptimeBar.Compute(Utc, Now, Now.AddDays(-2).AddHours(-12), ComponentStatus.Operational, changes, [], NoChecks);

        // 3 hours down out of 2.5 days measured.
        Assert.Equal(1 - (3.0 / 60), UptimeBar.Overall(bar, 30)!.Value, 6);
        Assert.Equal(0.75, UptimeBar.Overall(bar, 1));
    }
}
