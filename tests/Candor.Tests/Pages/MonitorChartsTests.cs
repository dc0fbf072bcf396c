using Candor.Monitoring;
using Candor.StatusPage.Site;
using Candor.Storage;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Pages;

/// <summary>The response-time charts of a component's page, read from the stored rollups of its own monitors.</summary>
public sealed class MonitorChartsTests : SqliteStoreTest
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Each_range_sums_its_monitors_checks_into_buckets_of_its_size()
    {
        await SaveAsync(
            Result("web", Noon.AddMinutes(-31), 100),
            Result("web", Noon.AddMinutes(-29), 300, Outcome.Down),
            Result("web", Noon.AddMinutes(-26), 200),
            Result("web", Noon.AddHours(-30), 50),
            Result("web", Noon.AddDays(-20), 80),
            Result("web", Noon.AddDays(-40), 70),
            Result("api", Noon.AddMinutes(-29), 900));

        var charts = await MonitorCharts.ReadAsync(Store, ["web"], Noon, CancellationToken.None);

        Assert.Equal(
            [(Noon.AddMinutes(-35), 1, 0, 100.0), (Noon.AddMinutes(-30), 2, 1, 250.0)],
            charts.Series("web", ChartRange.Day, Noon).Select(b => (b.Start, b.Count, b.Failures, b.AverageMs!.Value)));
        Assert.Equal(
            [(Noon.AddHours(-30), 1), (Noon.AddHours(-1), 3)],
            charts.Series("web", ChartRange.Week, Noon).Select(b => (b.Start, b.Count)));
        Assert.Equal(
            [(Noon.AddDays(-20), 1), (Noon.AddHours(-30), 1), (Noon.AddHours(-6), 3)],
            charts.Series("web", ChartRange.Month, Noon).Select(b => (b.Start, b.Count)));
        Assert.Empty(charts.Series("api", ChartRange.Day, Noon));
    }

    /// <remarks>A page built before a result was stored is rendered after it: its charts end where the page was built.</remarks>
    [Fact]
    public async Task A_page_draws_only_what_started_up_to_the_moment_it_was_built()
    {
        var built = Noon.AddMinutes(-1);
        await SaveAsync(Result("web", Noon.AddMinutes(-30), 100), Result("web", Noon.AddMinutes(-2), 100));
        await SaveAsync(Result("web", Noon.AddMinutes(7), 100), Result("web", Noon.AddHours(2), 100));

        var charts = await MonitorCharts.ReadAsync(Store, ["web"], built, CancellationToken.None);

        Assert.Equal([Noon.AddMinutes(-30), Noon.AddMinutes(-5)], charts.Series("web", ChartRange.Day, built).Select(b => b.Start));
        Assert.Equal([(Noon.AddHours(-1), 2)], charts.Series("web", ChartRange.Week, built).Select(b => (b.Start, b.Count)));
    }

    /// <remarks>The minutes past the last day are deleted here to show that the week and the month come from the hours.</remarks>
    [Fact]
    public async Task Past_the_last_day_the_charts_come_from_theStored_hours()
    {
        var tenDaysAgo = Noon.AddDays(-10);
        await SaveAsync(Result("web", tenDaysAgo, 100), Result("web", tenDaysAgo.AddMinutes(20), 100, Outcome.Down), Result("web", Noon.AddMinutes(-30), 100));
        await Store.FoldRollupsAsync(CancellationToken.None);
        Assert.Equal(4, await ExecuteBehindTheStoreAsync($"""
            DELETE FROM result_rollups_1min WHERE minute < {Noon.AddDays(-1).ToUnixTimeMilliseconds()};
            DELETE FROM result_rollups_5min WHERE bucket < {Noon.AddDays(-1).ToUnixTimeMilliseconds()};
            """));

        var charts = await MonitorCharts.ReadAsync(Store, ["web"], Noon, CancellationToken.None);

        Assert.Equal([(tenDaysAgo, 2, 1), (Noon.AddHours(-6), 1, 0)], charts.Series("web", ChartRange.Month, Noon).Select(b => (b.Start, b.Count, b.Failures)));
        Assert.Equal([1], charts.Series("web", ChartRange.Day, Noon).Select(b => b.Count));
    }

    /// <remarks>
    /// A crawler opening every component's page at once must cost the store one reading at a time: the second page
    /// does not reach the store while the first one's reading is held there, and both are drawn once it is released.
    /// </remarks>
    [Fact]
    public async Task The_reader_reads_one_pages_charts_at_a_time()
    {
        await SaveAsync(Result("web", Noon.AddMinutes(-10), 100), Result("api", Noon.AddMinutes(-10), 100));
        var (store, holder) = HeldRollupsStore.Around(Store);
        using var reader = new ChartReader(store);
        holder.Hold();

        var first = reader.ReadAsync(["web"], Noon, CancellationToken.None);
        await holder.Reached.WaitAsync(TimeSpan.FromSeconds(10));
        var second = reader.ReadAsync(["api"], Noon, CancellationToken.None);
        await Task.Delay(200);
        Assert.Equal(1, holder.HourlyReads);
        Assert.False(second.IsCompleted);

        holder.Release();
        Assert.Single((await first).Series("web", ChartRange.Day, Noon));
        Assert.Single((await second).Series("api", ChartRange.Day, Noon));
        Assert.Equal(2, holder.HourlyReads);
    }

    private static CheckResult Result(string monitorId, DateTimeOffset startedAt, int milliseconds, Outcome outcome = Outcome.Up) =>
        new(Guid.CreateVersion7(startedAt), monitorId, "local", startedAt, TimeSpan.FromMilliseconds(milliseconds), outcome, null, null, new PhaseTimings());
}
