using Candor.Monitoring;
using Candor.StatusPage.Site;
using Candor.Storage;
using Candor.Tests.Fixtures;
using Microsoft.Data.Sqlite;

namespace Candor.Tests.Pages;

/// <summary>The minutes behind the charts and the bars, read for every monitor at once and then only what is new.</summary>
public sealed class RollupHistoryTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _dir = new();
    private ICandorStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = StoreFactory.Create($"sqlite:{_dir.Path}/candor.db");
        await _store.MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_refresh_counts_new_and_late_minutes_once_and_leaves_out_monitors_not_configured()
    {
        using var history = new RollupHistory(_store, ["web", "api"]);
        await SaveAsync(Result("web", Noon.AddMinutes(-30)), Result("api", Noon.AddMinutes(-10), Outcome.Down), Result("gone", Noon.AddMinutes(-5)));
        await history.RefreshAsync(Noon, CancellationToken.None);

        await SaveAsync(Result("web", Noon.AddMinutes(-20)), Result("web", Noon.AddMinutes(5)));
        await history.RefreshAsync(Noon.AddMinutes(10), CancellationToken.None);

        var byComponent = new[] { ("site", "web"), ("site", "api"), ("old", "gone") }.ToLookup(p => p.Item1, p => p.Item2);
        var days = history.DailyChecks(byComponent, TimeZoneInfo.Utc);
        Assert.Equal(new CheckCount(4, 1), days["site"][DateOnly.FromDateTime(Noon.UtcDateTime)]);
        Assert.Empty(days["old"]);
        Assert.Equal([1, 1, 1], history.Series("web", ChartRange.Day, Noon.AddMinutes(10)).Select(b => b.Count));
    }

    /// <remarks>A page is rendered when it is first asked for, which may be after the next build has refreshed.</remarks>
    [Fact]
    public async Task A_series_read_after_a_later_refresh_ends_where_its_page_was_built()
    {
        using var history = new RollupHistory(_store, ["web"]);
        var built = Noon.AddMinutes(-1);
        await SaveAsync(Result("web", Noon.AddMinutes(-30)), Result("web", Noon.AddMinutes(-2)));
        await history.RefreshAsync(built, CancellationToken.None);
        await SaveAsync(Result("web", Noon.AddMinutes(7)), Result("web", Noon.AddHours(2)));
        await history.RefreshAsync(Noon.AddHours(3), CancellationToken.None);

        Assert.Equal([Noon.AddMinutes(-30), Noon.AddMinutes(-5)], history.Series("web", ChartRange.Day, built).Select(b => b.Start));
        Assert.Equal([Noon.AddHours(-1)], history.Series("web", ChartRange.Week, built).Select(b => b.Start));
        Assert.Equal(4, history.Series("web", ChartRange.Day, Noon.AddHours(3)).Sum(b => b.Count));
    }

    /// <remarks>
    /// A page is rendered on a request's thread: were it to wait for the store, a surge of readers during an incident
    /// would hold the pool's threads for as long as the store is slow.
    /// </remarks>
    [Fact]
    public async Task A_page_reads_its_series_while_a_refresh_waits_for_the_store_and_sees_none_of_that_refresh()
    {
        var (history, holder) = await RefreshedOnceThenHeldAsync();
        using var disposed = history;
        var refresh = history.RefreshAsync(Noon.AddMinutes(10), CancellationToken.None);
        try
        {
            await holder.Reached.WaitAsync(TimeSpan.FromSeconds(10));
            var duringRefresh = await Task.Run(() => history.Series("web", ChartRange.Day, Noon.AddMinutes(10))).WaitAsync(TimeSpan.FromSeconds(10));

            Assert.Equal([Noon.AddMinutes(-30)], duringRefresh.Select(b => b.Start));
            Assert.False(refresh.IsCompleted);
        }
        finally
        {
            holder.Release();
        }

        await refresh;
        Assert.Equal([Noon.AddMinutes(-30), Noon.AddMinutes(5)], history.Series("web", ChartRange.Day, Noon.AddMinutes(10)).Select(b => b.Start));
    }

    [Fact]
    public async Task A_refresh_given_up_part_way_changes_nothing_and_the_next_counts_each_minute_once()
    {
        var (history, holder) = await RefreshedOnceThenHeldAsync();
        using var disposed = history;
        using var giveUp = new CancellationTokenSource();
        var refresh = history.RefreshAsync(Noon.AddMinutes(10), giveUp.Token);
        await holder.Reached.WaitAsync(TimeSpan.FromSeconds(10));
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => refresh);
        holder.Release();

        Assert.Equal([1], history.Series("web", ChartRange.Day, Noon.AddMinutes(10)).Select(b => b.Count));
        await history.RefreshAsync(Noon.AddMinutes(10), CancellationToken.None);
        Assert.Equal([1, 1], history.Series("web", ChartRange.Day, Noon.AddMinutes(10)).Select(b => b.Count));
        var days = history.DailyChecks(new[] { ("site", "web") }.ToLookup(p => p.Item1, p => p.Item2), TimeZoneInfo.Utc);
        Assert.Equal(new CheckCount(2, 0), days["site"][DateOnly.FromDateTime(Noon.UtcDateTime)]);
    }

    /// <remarks>An agent cut off for hours sends what it checked meanwhile when it is back: it lands in its hours.</remarks>
    [Fact]
    public async Task A_refresh_reads_again_the_buckets_of_results_stored_hours_late()
    {
        using var history = new RollupHistory(_store, ["web"]);
        await SaveAsync(Result("web", Noon.AddMinutes(-1)));
        await history.RefreshAsync(Noon, CancellationToken.None);

        await SaveAsync(Result("web", Noon.AddHours(-3).AddMinutes(2), Outcome.Down), Result("web", Noon.AddMinutes(1)));
        await history.RefreshAsync(Noon.AddMinutes(2), CancellationToken.None);

        Assert.Equal(
            [(Noon.AddHours(-3), 1, 1), (Noon.AddHours(-1), 1, 0), (Noon, 1, 0)],
            history.Series("web", ChartRange.Week, Noon.AddMinutes(2)).Select(b => (b.Start, b.Count, b.Failures)));
        Assert.Equal(
            [Noon.AddHours(-3), Noon.AddMinutes(-5), Noon],
            history.Series("web", ChartRange.Day, Noon.AddMinutes(2)).Select(b => b.Start));
        var days = history.DailyChecks(new[] { ("site", "web") }.ToLookup(p => p.Item1, p => p.Item2), TimeZoneInfo.Utc);
        Assert.Equal(new CheckCount(3, 1), days["site"][DateOnly.FromDateTime(Noon.UtcDateTime)]);
    }

    [Fact]
    public async Task Hours_are_counted_on_the_local_date_they_start_on()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("UTC+05:30", TimeSpan.FromHours(5.5), "UTC+05:30", "UTC+05:30");
        using var history = new RollupHistory(_store, ["web"]);
        var lateEvening = new DateTimeOffset(2026, 11, 20, 18, 15, 0, TimeSpan.Zero);
        await SaveAsync(Result("web", lateEvening), Result("web", lateEvening.AddMinutes(40)), Result("web", lateEvening.AddHours(1)));
        await history.RefreshAsync(lateEvening.AddHours(2), CancellationToken.None);

        var days = history.DailyChecks(new[] { ("site", "web") }.ToLookup(p => p.Item1, p => p.Item2), zone)["site"];

        Assert.Equal(new CheckCount(2, 0), days[new DateOnly(2026, 11, 20)]);
        Assert.Equal(new CheckCount(1, 0), days[new DateOnly(2026, 11, 21)]);
    }

    /// <remarks>The minutes past the last day are deleted here to show that nothing but the hours is read for them.</remarks>
    [Fact]
    public async Task Past_the_last_day_the_bars_and_the_month_chart_come_from_the_stored_hours()
    {
        var tenDaysAgo = Noon.AddDays(-10);
        await SaveAsync(Result("web", tenDaysAgo), Result("web", tenDaysAgo.AddMinutes(20), Outcome.Down), Result("web", Noon.AddMinutes(-30)));
        await _store.FoldRollupsAsync(CancellationToken.None);
        await using (var connection = new SqliteConnection($"Data Source={_dir.Path}/candor.db"))
        {
            await connection.OpenAsync();
            await using var delete = connection.CreateCommand();
            delete.CommandText = $"DELETE FROM result_rollups_1min WHERE minute < {Noon.AddDays(-1).ToUnixTimeMilliseconds()}";
            Assert.Equal(2, await delete.ExecuteNonQueryAsync());
        }

        using var history = new RollupHistory(_store, ["web"]);
        await history.RefreshAsync(Noon, CancellationToken.None);

        var days = history.DailyChecks(new[] { ("site", "web") }.ToLookup(p => p.Item1, p => p.Item2), TimeZoneInfo.Utc)["site"];
        Assert.Equal(new CheckCount(2, 1), days[DateOnly.FromDateTime(tenDaysAgo.UtcDateTime)]);
        Assert.Equal([2, 1], history.Series("web", ChartRange.Month, Noon).Select(b => b.Count));
        Assert.Equal([1], history.Series("web", ChartRange.Day, Noon).Select(b => b.Count));
    }

    /// <remarks>
    /// Half-hourly builds from 22:00 to 01:00 in a zone of UTC+05:30, with results that arrive late into an hour read
    /// before, and a result at the far end of the 91 days kept, which ages out hour by hour and then a date at a time.
    /// </remarks>
    [Fact]
    public async Task Days_summed_build_after_build_are_those_of_a_history_read_at_once()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("UTC+05:30", TimeSpan.FromHours(5.5), "UTC+05:30", "UTC+05:30");
        var byComponent = new[] { ("site", "web"), ("site", "api"), ("data", "api") }.ToLookup(p => p.Item1, p => p.Item2);
        using var history = new RollupHistory(_store, ["web", "api"]);
        var at = new DateTimeOffset(2026, 11, 20, 16, 30, 0, TimeSpan.Zero);
        await SaveAsync(Result("web", at.AddDays(-91).AddMinutes(20)), Result("api", at.AddDays(-91).AddMinutes(100)));
        for (var build = 0; build < 7; build++)
        {
            await SaveAsync(Result("web", at.AddMinutes(-5)), Result("api", at.AddMinutes(-50), build % 3 == 0 ? Outcome.Down : Outcome.Up));
            await history.RefreshAsync(at, CancellationToken.None);
            var readAtOnce = new RollupHistory(_store, ["web", "api"]);
            await readAtOnce.RefreshAsync(at, CancellationToken.None);

            Assert.Equal(Flat(readAtOnce.DailyChecks(byComponent, zone)), Flat(history.DailyChecks(byComponent, zone)));
            at = at.AddMinutes(30);
        }

        static List<string> Flat(IReadOnlyDictionary<string, IReadOnlyDictionary<DateOnly, CheckCount>> groups) =>
            [.. groups.SelectMany(g => g.Value.Select(d => $"{g.Key} {d.Key:yyyy-MM-dd} {d.Value}")).Order(StringComparer.Ordinal)];
    }

    /// <summary>A history read at noon, with a result of 12:05 saved since, whose store holds its hours from now on.</summary>
    private async Task<(RollupHistory History, HeldRollupsStore Holder)> RefreshedOnceThenHeldAsync()
    {
        var (store, holder) = HeldRollupsStore.Around(_store);
        var history = new RollupHistory(store, ["web"]);
        await SaveAsync(Result("web", Noon.AddMinutes(-30)));
        await history.RefreshAsync(Noon, CancellationToken.None);
        await SaveAsync(Result("web", Noon.AddMinutes(5)));
        holder.Hold();
        return (history, holder);
    }

    private Task SaveAsync(params IReadOnlyList<CheckResult> results) =>
        _store.SaveBatchAsync(new ResultBatch(results, [], []), CancellationToken.None);

    private static CheckResult Result(string monitorId, DateTimeOffset startedAt, Outcome outcome = Outcome.Up) =>
        new(Guid.CreateVersion7(startedAt), monitorId, "local", startedAt, TimeSpan.FromMilliseconds(100), outcome, null, null, new PhaseTimings());
}
