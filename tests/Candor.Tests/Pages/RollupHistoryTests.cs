using Candor.Monitoring;
using Candor.StatusPage.Site;
using Candor.Storage;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Pages;

/// <summary>The checks behind the uptime bars, read for every monitor at once and then only what is new, summed by component and local date.</summary>
public sealed class RollupHistoryTests : SqliteStoreTest
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Noon.UtcDateTime);
    private static readonly TimeZoneInfo IndiaLike = TimeZoneInfo.CreateCustomTimeZone("UTC+05:30", TimeSpan.FromHours(5.5), "UTC+05:30", "UTC+05:30");

    [Fact]
    public async Task A_refresh_counts_new_and_late_minutes_once_and_leaves_out_monitors_not_configured()
    {
        using var history = new RollupHistory(Store, Components(("site", "web"), ("site", "api")), TimeZoneInfo.Utc);
        await SaveAsync(Result("web", Noon.AddMinutes(-30)), Result("api", Noon.AddMinutes(-10), Outcome.Down), Result("gone", Noon.AddMinutes(-5)));
        await history.RefreshAsync(Noon, CancellationToken.None);

        await SaveAsync(Result("web", Noon.AddMinutes(-20)), Result("web", Noon.AddMinutes(5)));
        await history.RefreshAsync(Noon.AddMinutes(10), CancellationToken.None);

        var days = history.DailyChecks();
        Assert.Equal(["site"], days.Keys);
        Assert.Equal(new CheckCount(4, 1), Assert.Single(days["site"]).Value);
    }

    /// <remarks>A monitor named in two groups counts in both; a group is what the bars sum, a component.</remarks>
    [Fact]
    public async Task Each_group_sums_its_own_monitors()
    {
        using var history = new RollupHistory(Store, Components(("site", "web"), ("site", "api"), ("data", "api")), TimeZoneInfo.Utc);
        await SaveAsync(Result("web", Noon.AddMinutes(-30), Outcome.Down), Result("api", Noon.AddMinutes(-10)), Result("api", Noon.AddMinutes(-9)));
        await history.RefreshAsync(Noon, CancellationToken.None);

        var days = history.DailyChecks();
        Assert.Equal(new CheckCount(3, 1), days["site"][Today]);
        Assert.Equal(new CheckCount(2, 0), days["data"][Today]);
    }

    /// <remarks>
    /// The pages are built from the dates while a refresh waits for the store: a build must not see half of what a
    /// refresh read, and the public pages must not wait for a store under load.
    /// </remarks>
    [Fact]
    public async Task The_dates_are_read_while_a_refresh_waits_for_theStore_and_show_none_of_that_refresh()
    {
        var (history, holder) = await RefreshedOnceThenHeldAsync();
        using var disposed = history;
        var refresh = history.RefreshAsync(Noon.AddMinutes(10), CancellationToken.None);
        try
        {
            await holder.Reached.WaitAsync(TimeSpan.FromSeconds(10));
            var duringRefresh = await Task.Run(history.DailyChecks).WaitAsync(TimeSpan.FromSeconds(10));

            Assert.Equal(new CheckCount(1, 0), duringRefresh["site"][Today]);
            Assert.False(refresh.IsCompleted);
        }
        finally
        {
            holder.Release();
        }

        await refresh;
        Assert.Equal(new CheckCount(2, 0), history.DailyChecks()["site"][Today]);
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

        Assert.Equal(new CheckCount(1, 0), history.DailyChecks()["site"][Today]);
        await history.RefreshAsync(Noon.AddMinutes(10), CancellationToken.None);
        await history.RefreshAsync(Noon.AddMinutes(11), CancellationToken.None);
        Assert.Equal(new CheckCount(2, 0), history.DailyChecks()["site"][Today]);
    }

    /// <remarks>
    /// An agent cut off for hours sends what it checked meanwhile when it is back: it lands on its date. Three hours late
    /// is within the hours kept, which are read again; twenty is not, and its date is read again whole.
    /// </remarks>
    [Theory]
    [InlineData(3)]
    [InlineData(20)]
    public async Task A_refresh_counts_resultsStored_hours_late_on_their_date(int hoursLate)
    {
        using var history = new RollupHistory(Store, Components(("site", "web")), TimeZoneInfo.Utc);
        await SaveAsync(Result("web", Noon.AddHours(-hoursLate).AddMinutes(-1)), Result("web", Noon.AddMinutes(-1)));
        await history.RefreshAsync(Noon, CancellationToken.None);

        await SaveAsync(Result("web", Noon.AddHours(-hoursLate).AddMinutes(2), Outcome.Down), Result("web", Noon.AddMinutes(1)));
        await history.RefreshAsync(Noon.AddMinutes(2), CancellationToken.None);

        var late = DateOnly.FromDateTime(Noon.AddHours(-hoursLate).UtcDateTime);
        var days = history.DailyChecks()["site"];
        Assert.Equal(late == Today ? new CheckCount(4, 1) : new CheckCount(2, 1), days[late]);
        Assert.Equal(late == Today ? 1 : 2, days.Count);
        Assert.Equal(new CheckCount(4, 1), new CheckCount(days.Values.Sum(d => d.Checks), days.Values.Sum(d => d.Failures)));
    }

    [Fact]
    public async Task Hours_are_counted_on_the_local_date_they_start_on()
    {
        using var history = new RollupHistory(Store, Components(("site", "web")), IndiaLike);
        var lateEvening = new DateTimeOffset(2026, 11, 20, 18, 15, 0, TimeSpan.Zero);
        await SaveAsync(Result("web", lateEvening), Result("web", lateEvening.AddMinutes(40)), Result("web", lateEvening.AddHours(1)));
        await history.RefreshAsync(lateEvening.AddHours(2), CancellationToken.None);

        var days = history.DailyChecks()["site"];

        Assert.Equal(new CheckCount(2, 0), days[new DateOnly(2026, 11, 20)]);
        Assert.Equal(new CheckCount(1, 0), days[new DateOnly(2026, 11, 21)]);
    }

    /// <remarks>The minutes past the last day are deleted here to show that nothing but the hours is read for them.</remarks>
    [Fact]
    public async Task Past_the_last_day_the_bars_come_from_theStored_hours()
    {
        var tenDaysAgo = Noon.AddDays(-10);
        await SaveAsync(Result("web", tenDaysAgo), Result("web", tenDaysAgo.AddMinutes(20), Outcome.Down), Result("web", Noon.AddMinutes(-30)));
        await Store.FoldRollupsAsync(CancellationToken.None);
        Assert.Equal(2, await ExecuteBehindTheStoreAsync($"DELETE FROM result_rollups_1min WHERE minute < {Noon.AddDays(-1).ToUnixTimeMilliseconds()}"));

        using var history = new RollupHistory(Store, Components(("site", "web")), TimeZoneInfo.Utc);
        await history.RefreshAsync(Noon, CancellationToken.None);

        var days = history.DailyChecks()["site"];
        Assert.Equal(new CheckCount(2, 1), days[DateOnly.FromDateTime(tenDaysAgo.UtcDateTime)]);
        Assert.Equal(new CheckCount(1, 0), days[Today]);
    }

    /// <remarks>
    /// Half-hourly builds from 22:00 to 01:00 in a zone of UTC+05:30, with results that arrive late into an hour read
    /// before and, once, later than the hours kept; a result at the far end of the 91 days kept, which ages out a date
    /// at a time; and last a build a day after the one before it.
    /// </remarks>
    [Fact]
    public async Task Days_summed_build_after_build_are_those_of_a_history_read_at_once()
    {
        var components = Components(("site", "web"), ("site", "api"), ("data", "api"));
        using var history = new RollupHistory(Store, components, IndiaLike);
        var at = new DateTimeOffset(2026, 11, 20, 16, 30, 0, TimeSpan.Zero);
        await SaveAsync(Result("web", at.AddDays(-91).AddMinutes(20)), Result("api", at.AddDays(-91).AddMinutes(100)));
        for (var build = 0; build < 8; build++)
        {
            await SaveAsync(Result("web", at.AddMinutes(-5)), Result("api", at.AddMinutes(-50), build % 3 == 0 ? Outcome.Down : Outcome.Up));
            if (build == 4)
            {
                await SaveAsync(Result("web", at.AddHours(-13), Outcome.Down));
            }

            await history.RefreshAsync(at, CancellationToken.None);
            using var readAtOnce = new RollupHistory(Store, components, IndiaLike);
            await readAtOnce.RefreshAsync(at, CancellationToken.None);

            Assert.Equal(Flat(readAtOnce.DailyChecks()), Flat(history.DailyChecks()));
            at = at.AddMinutes(build < 6 ? 30 : 24 * 60);
        }

        static List<string> Flat(IReadOnlyDictionary<string, IReadOnlyDictionary<DateOnly, CheckCount>> groups) =>
            [.. groups.SelectMany(g => g.Value.Select(d => $"{g.Key} {d.Key:yyyy-MM-dd} {d.Value}")).Order(StringComparer.Ordinal)];
    }

    /// <summary>A history read at noon, with a result of 12:05 saved since, whose store holds its hours from now on.</summary>
    private async Task<(RollupHistory History, HeldRollupsStore Holder)> RefreshedOnceThenHeldAsync()
    {
        var (store, holder) = HeldRollupsStore.Around(Store);
        var history = new RollupHistory(store, Components(("site", "web")), TimeZoneInfo.Utc);
        await SaveAsync(Result("web", Noon.AddMinutes(-30)));
        await history.RefreshAsync(Noon, CancellationToken.None);
        await SaveAsync(Result("web", Noon.AddMinutes(5)));
        holder.Hold();
        return (history, holder);
    }

    private static ILookup<string, string> Components(params (string Component, string Monitor)[] pairs) =>
        pairs.ToLookup(p => p.Component, p => p.Monitor, StringComparer.Ordinal);

    private static CheckResult Result(string monitorId, DateTimeOffset startedAt, Outcome outcome = Outcome.Up) =>
        new(Guid.CreateVersion7(startedAt), monitorId, "local", startedAt, TimeSpan.FromMilliseconds(100), outcome, null, null, new PhaseTimings());
}
