using Candor.Monitoring;
using Candor.Storage;

namespace Candor.Tests.Storage;

public abstract partial class StoreContract
{
    private static readonly DateTimeOffset Day0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Daily_rollups_sum_each_monitors_locations_per_utc_day()
    {
        await Store.SaveBatchAsync(
            Batch(
                Result("web", "eu-west", Day0.AddHours(1), Outcome.Up),
                Result("web", "us-east", Day0.AddHours(2), Outcome.Down),
                Result("web", "eu-west", Day0.AddHours(23).AddMinutes(59), Outcome.Degraded),
                Result("web", "eu-west", Day0.AddDays(1), Outcome.Down),
                Result("api", "local", Day0.AddHours(12), Outcome.Up),
                Result("api", "local", Day0.AddDays(-1).AddHours(12), Outcome.Down)),
            Ct);
        await Store.SaveBatchAsync(Batch(Result("web", "us-east", Day0.AddHours(3), Outcome.Up)), Ct);

        Assert.Equal(
            [new UptimeTotal("api", 1, 0, 0), new UptimeTotal("web", 4, 1, 1)],
            await Store.GetUptimeTotalsAsync(Day0, Day0.AddDays(1), Ct));
        Assert.Equal([new UptimeTotal("web", 1, 1, 0)], await Store.GetUptimeTotalsAsync(Day0.AddDays(1), Day0.AddDays(2), Ct));
    }

    [Fact]
    public async Task Hourly_rollups_sum_each_monitors_locations_per_utc_hour()
    {
        await Store.SaveBatchAsync(
            Batch(
                Result("web", "eu-west", Day0.AddMinutes(1), Outcome.Up, 20),
                Result("web", "us-east", Day0.AddMinutes(59), Outcome.Down, 80),
                Result("web", "eu-west", Day0.AddHours(1), Outcome.Degraded, 30),
                Result("api", "local", Day0.AddMinutes(30), Outcome.Up, 10),
                Result("api", "local", Day0.AddHours(-1), Outcome.Down, 10)),
            Ct);
        await Store.SaveBatchAsync(Batch(Result("web", "us-east", Day0.AddMinutes(2), Outcome.Up, 50)), Ct);

        var hours = await Store.ReadHourlyRollupsAsync(Day0, Day0.AddHours(2), Ct).ToListAsync(Ct);

        Assert.Equal(
            [
                new RollupSpan("api", Day0, 1, 0, 0, 10, 10),
                new RollupSpan("web", Day0, 3, 1, 0, 150, 80),
                new RollupSpan("web", Day0.AddHours(1), 1, 0, 1, 30, 30),
            ],
            hours);
    }

    [Fact]
    public async Task Five_minute_rollups_sum_each_monitors_locations_per_five_minutes()
    {
        await Store.SaveBatchAsync(
            Batch(
                Result("web", "eu-west", Day0.AddMinutes(1), Outcome.Up, 20),
                Result("web", "us-east", Day0.AddMinutes(4).AddSeconds(59), Outcome.Down, 80),
                Result("web", "eu-west", Day0.AddMinutes(5), Outcome.Degraded, 30),
                Result("api", "local", Day0.AddMinutes(-1), Outcome.Down, 10)),
            Ct);
        await Store.SaveBatchAsync(Batch(Result("web", "us-east", Day0.AddMinutes(2), Outcome.Up, 50)), Ct);

        var spans = await Store.ReadFiveMinuteRollupsAsync(["web", "api"], Day0.AddMinutes(-5), Day0.AddMinutes(5), Ct).ToListAsync(Ct);

        Assert.Equal(
            [
                new RollupSpan("api", Day0.AddMinutes(-5), 1, 1, 0, 10, 10),
                new RollupSpan("web", Day0, 3, 1, 0, 150, 80),
            ],
            spans);
    }

    /// <remarks>
    /// An hour ago is closed into the coarser tables by the results after it; the last minute is still open and read
    /// from the minutes: the filter holds on both.
    /// </remarks>
    [Fact]
    public async Task Rollups_read_for_some_monitors_are_theirs_alone_both_closed_and_open()
    {
        await Store.SaveBatchAsync(
            Batch(
                Result("web", "eu-west", Day0.AddMinutes(1), Outcome.Down, 20),
                Result("api", "local", Day0.AddMinutes(2), Outcome.Up, 10),
                Result("db", "local", Day0.AddMinutes(3), Outcome.Up, 30)),
            Ct);
        await Store.SaveBatchAsync(
            Batch(
                Result("web", "eu-west", Day0.AddHours(1).AddMinutes(1), Outcome.Up, 40),
                Result("api", "local", Day0.AddHours(1).AddMinutes(1), Outcome.Up, 10)),
            Ct);
        await Store.FoldRollupsAsync(Ct);
        await Store.SaveBatchAsync(
            Batch(Result("web", "us-east", Day0.AddHours(1).AddMinutes(2), Outcome.Up, 60), Result("db", "local", Day0.AddHours(1).AddMinutes(3), Outcome.Up, 5)),
            Ct);

        RollupSpan[] expected =
        [
            new("db", Day0, 1, 0, 0, 30, 30),
            new("db", Day0.AddHours(1), 1, 0, 0, 5, 5),
            new("web", Day0, 1, 1, 0, 20, 20),
            new("web", Day0.AddHours(1), 2, 0, 0, 100, 60),
        ];
        Assert.Equal(expected, ByMonitor(await Store.ReadHourlyRollupsAsync(["web", "db"], Day0, Day0.AddHours(2), Ct).ToListAsync(Ct)));
        Assert.Equal(expected, ByMonitor(await Store.ReadFiveMinuteRollupsAsync(["web", "db"], Day0, Day0.AddHours(2), Ct).ToListAsync(Ct)));
        Assert.Empty(await Store.ReadHourlyRollupsAsync(["gone"], Day0, Day0.AddHours(2), Ct).ToListAsync(Ct));

        // Each monitor's in the order they come, oldest first; the monitors' in no order among them.
        static List<RollupSpan> ByMonitor(List<RollupSpan> spans) => [.. spans.GroupBy(s => s.MonitorId).OrderBy(g => g.Key, StringComparer.Ordinal).SelectMany(g => g)];
    }

    [Fact]
    public async Task Uptime_totals_count_every_result_of_the_days_once()
    {
        var duplicate = Result("web", "eu-west", Day0.AddHours(5), Outcome.Down);
        await Store.SaveBatchAsync(
            Batch(
                duplicate,
                Result("web", "us-east", Day0.AddDays(3), Outcome.Up),
                Result("web", "eu-west", Day0.AddDays(30), Outcome.Down),
                Result("api", "local", Day0.AddDays(29).AddHours(23), Outcome.Degraded)),
            Ct);
        await Store.SaveBatchAsync(Batch(duplicate), Ct);

        var totals = await Store.GetUptimeTotalsAsync(Day0, Day0.AddDays(30), Ct);

        Assert.Equal([new UptimeTotal("api", 1, 0, 1), new UptimeTotal("web", 2, 1, 0)], totals);
    }
}
