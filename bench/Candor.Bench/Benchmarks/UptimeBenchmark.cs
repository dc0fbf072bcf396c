using System.Data.Common;
using System.Diagnostics;
using Candor.Bench.Suite;
using Candor.StatusPage.Site;
using Candor.Storage;

namespace Candor.Bench.Benchmarks;

/// <summary>
/// B5: the data behind the 90-day uptime bars of 1,000 monitors at three locations, as the status pages gather it
/// (<see cref="RollupHistory"/>), and behind a month's SLA table of 1,000 components (one monitor each), read from
/// the daily rollups with the store's own query.
/// </summary>
/// <remarks>
/// For the SLA table the rollups are seeded through the store: one result per monitor, location and day, written with
/// <see cref="ICandorStore.SaveBatchAsync"/> and folded into the rollups, as a live store's background fold does. The
/// query reads one row per monitor and day whatever the number of checks behind it, so this is the same work as
/// 2,880 checks a day.
/// </remarks>
internal sealed class UptimeBenchmark : IBenchmark
{
    private const int Days = 90;
    private const int SlaDays = 30;

    public string Id => "B5";

    public string Name => "B5";

    public async Task<IReadOnlyList<BenchRow>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var monitors = context.Scale.B5Monitors;
        var repeats = context.Scale.B5Repeats;
        var today = new DateTimeOffset(DateTimeOffset.UtcNow.UtcDateTime.Date, TimeSpan.Zero);
        var rows = new List<BenchRow>();
        foreach (var kind in Enum.GetValues<StoreKind>())
        {
            var storage = await context.NewStorageAsync(kind, "b5", cancellationToken);
            await using var store = StoreFactory.Create(storage);
            await store.MigrateAsync(cancellationToken);
            await SeedAsync(store, monitors, today, cancellationToken);
            if (kind == StoreKind.Postgres)
            {
                await VacuumAsync(storage, cancellationToken);
            }

            var slaFrom = today.AddDays(-SlaDays);
            var (sla, slaMax) = await TimeAsync(repeats, async () =>
            {
                var table = SlaTable(await store.GetUptimeTotalsAsync(slaFrom, today, cancellationToken));
                return table.Count == monitors ? null : $"{table.Count:N0} components in the table, {monitors:N0} expected";
            });

            var page = await PageBarsAsync(context, kind, monitors, repeats, cancellationToken);
            context.Log($"B5 {kind.Display()}: bars {page.Median:0.0} ms (start {page.Start:0} ms), SLA table {sla:0.0} ms");
            rows.Add(new BenchRow(Id, $"90-day uptime bars, {monitors:N0} monitors × 3 locations, {kind.Display()}", new Measure(page.Median, "ms"), null,
                Target.AtMost(new Measure(50, "ms")),
                $"as each build of the pages reads them, median of {repeats}, slowest {page.Max:0.0} ms; the first build after a start, "
                + $"which reads all {monitors * Days * 24:N0} hours: {page.Start:N0} ms; what the pages keep of them in memory: "
                + $"{page.KeptBytes / 1024.0:N0} KiB, {page.KeptBytes / monitors:N0} B a monitor; the charts of a component's page, "
                + $"read from the store for {page.ChartMonitors} of its monitors: {page.Charts:0.0} ms (median of {repeats})"));
            rows.Add(new BenchRow(Id, $"a month's SLA table, {monitors:N0} components, {kind.Display()}", new Measure(sla, "ms"), null,
                Target.AtMost(new Measure(1000, "ms")),
                $"median of {repeats}, slowest {slaMax:0.0} ms; {monitors * SlaDays:N0} daily rollups summed by monitor"));
        }

        return rows;
    }

    /// <summary>
    /// What each build of the status pages does for the bars: tops up the rollups it keeps from the store and counts
    /// each component's checks per day of the page. The store holds 90 full days of hours and a day of five minutes,
    /// written directly, as a live store's fold leaves them. The first build after a start reads them all; before each
    /// build after it, 30 s apart, every monitor-location is checked once more, as at an interval of 30 s, and the results
    /// are folded, as the store's background fold does every few seconds; the build reads what they changed.
    /// </summary>
    /// <param name="KeptBytes">What the history holds on the managed heap once it has read every hour.</param>
    /// <param name="Charts">How long a component's page takes to read its monitors' charts from the same store.</param>
    private sealed record PageFigures(double Median, double Max, double Start, long KeptBytes, double Charts, int ChartMonitors);

    /// <summary>
    /// A component of this many monitors has its page read their charts: a large one, the 100 monitors a component
    /// of B1 has.
    /// </summary>
    private const int ChartMonitors = 100;

    private static async Task<PageFigures> PageBarsAsync(
        BenchContext context, StoreKind kind, int monitors, int repeats, CancellationToken cancellationToken)
    {
        var storage = await context.NewStorageAsync(kind, "b5-page", cancellationToken);
        await using var store = StoreFactory.Create(storage);
        await store.MigrateAsync(cancellationToken);
        var hour = TimeSpan.FromHours(1).Ticks;
        var now = new DateTimeOffset(DateTimeOffset.UtcNow.UtcTicks / hour * hour, TimeSpan.Zero).AddMinutes(30);
        await SeedPageRollupsAsync(storage, kind, monitors, now, cancellationToken);

        var ids = Enumerable.Range(0, monitors).Select(SyntheticResults.MonitorId).ToList();
        var components = ids.ToLookup(id => "component-" + id["monitor-".Length..], id => id, StringComparer.Ordinal);
        using var history = new RollupHistory(store, components, TimeZoneInfo.Utc);
        string? Wrong(IReadOnlyDictionary<string, IReadOnlyDictionary<DateOnly, CheckCount>> days) =>
            days.Count == monitors && days.Values.All(d => d.Count >= Days)
                ? null
                : $"{days.Count:N0} components with {days.Values.Min(d => d.Count)} days at least, {monitors:N0} with {Days} expected";

        var clock = Stopwatch.StartNew();
        await history.RefreshAsync(now, cancellationToken);
        if (Wrong(history.DailyChecks()) is { } wrong)
        {
            throw new InvalidOperationException(wrong);
        }

        var start = clock.Elapsed.TotalMilliseconds;
        var kept = await KeptBytesAsync(store, components, now, cancellationToken);
        var random = new Random(7);
        var (median, max) = await TimeAsync(
            repeats,
            async () =>
            {
                now += LiveStatusSite.RebuildEvery;
                await history.RefreshAsync(now, cancellationToken);
                return Wrong(history.DailyChecks());
            },
            () => CheckOnceMoreAsync(store, random, ids, now, LiveStatusSite.RebuildEvery, cancellationToken));

        var ofPage = ids.Take(ChartMonitors).ToList();
        var (charts, _) = await TimeAsync(repeats, async () =>
        {
            var read = await MonitorCharts.ReadAsync(store, ofPage, now, cancellationToken);
            var drawn = ofPage.Count(id => read.Series(id, ChartRange.Day, now).Count > 0 && read.Series(id, ChartRange.Month, now).Count > 0);
            return drawn == ofPage.Count ? null : $"{drawn} of {ofPage.Count} monitors with both charts";
        });
        return new PageFigures(median, max, start, kept, charts, ofPage.Count);
    }

    /// <summary>
    /// What a history holds once it has read every hour: a second one, read once the first has warmed the store's
    /// connections and the runtime's pools, so that the heap grows by the history alone.
    /// </summary>
    private static async Task<long> KeptBytesAsync(
        ICandorStore store, ILookup<string, string> components, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        using var history = new RollupHistory(store, components, TimeZoneInfo.Utc);
        await history.RefreshAsync(now, cancellationToken);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(history);
        return after - before;
    }

    /// <summary>
    /// A result of every monitor at every location, started in the <paramref name="period"/> after
    /// <paramref name="from"/>, stored and folded.
    /// </summary>
    private static async Task CheckOnceMoreAsync(
        ICandorStore store, Random random, IReadOnlyList<string> monitorIds, DateTimeOffset from, TimeSpan period, CancellationToken cancellationToken)
    {
        var results = monitorIds
            .SelectMany(id => SyntheticResults.Locations.Select(location =>
                SyntheticResults.Result(random, id, location, from.AddMilliseconds(1 + random.Next((int)period.TotalMilliseconds - 1)))))
            .ToList();
        await store.SaveBatchAsync(new ResultBatch(results, [], []), cancellationToken);
        await store.FoldRollupsAsync(cancellationToken);
    }

    /// <summary>
    /// Every hour of <see cref="Days"/> days and every five minutes of the last 25 hours of every monitor, its three
    /// locations summed, up to <paramref name="now"/>: 360 checks an hour, some of them failed.
    /// </summary>
    private static async Task SeedPageRollupsAsync(
        string storage, StoreKind kind, int monitors, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var hours = Days * 24;
        var fives = 25 * 12;
        var lastHour = now.ToUnixTimeMilliseconds() / 3_600_000 * 3_600_000;
        var lastFive = now.ToUnixTimeMilliseconds() / 300_000 * 300_000;
        await using var connection = await BenchContext.OpenAsync(storage, cancellationToken);
        // Numbers from SQL itself, in the tables' key order; both engines read this.
        var numbers = $"""
            WITH RECURSIVE m(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM m WHERE i < {monitors - 1}),
                h(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM h WHERE i < {hours - 1}),
                n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {fives - 1})
            """;
        var monitorId = "'monitor-' || substr(CAST(10000 + m.i AS TEXT), 2)";
        await ExecuteAsync(connection, $"""
            {numbers}
            INSERT INTO result_rollups_hourly (hour, monitor_id, checks, failures, degraded, latency_sum_ms, latency_max_ms)
            SELECT {lastHour} - (({hours - 1} - h.i) * CAST(3600000 AS BIGINT)), {monitorId}, 360, CASE WHEN (h.i + m.i) % 10 = 0 THEN 36 ELSE 0 END,
                CASE WHEN (h.i + m.i) % 7 = 0 THEN 7 ELSE 0 END, 360 * 42.5, 180.0
            FROM h CROSS JOIN m
            ORDER BY 1, 2
            """, cancellationToken);
        await ExecuteAsync(connection, $"""
            {numbers}
            INSERT INTO result_rollups_5min (bucket, monitor_id, checks, failures, degraded, latency_sum_ms, latency_max_ms)
            SELECT {lastFive} - (({fives - 1} - n.i) * CAST(300000 AS BIGINT)), {monitorId}, 30, CASE WHEN (n.i + m.i) % 100 = 0 THEN 3 ELSE 0 END,
                0, 30 * 42.5, 150.0
            FROM n CROSS JOIN m
            ORDER BY 1, 2
            """, cancellationToken);
        // A live store's fold has closed every minute but the last two into the five minutes and hours.
        await ExecuteAsync(
            connection, $"UPDATE rollup_watermark SET closed_minute = {(now.ToUnixTimeMilliseconds() / 60_000 * 60_000) - 60_000}", cancellationToken);
        if (kind == StoreKind.Postgres)
        {
            await ExecuteAsync(connection, "VACUUM ANALYZE result_rollups_hourly", cancellationToken);
            await ExecuteAsync(connection, "VACUUM ANALYZE result_rollups_5min", cancellationToken);
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A result per monitor, location and day, one day per batch, oldest first.</summary>
    private static async Task SeedAsync(ICandorStore store, int monitors, DateTimeOffset today, CancellationToken cancellationToken)
    {
        var random = new Random(5);
        for (var day = 1 - Days; day <= 0; day++)
        {
            var results = new List<Monitoring.CheckResult>(monitors * SyntheticResults.Locations.Length);
            for (var monitor = 0; monitor < monitors; monitor++)
            {
                foreach (var location in SyntheticResults.Locations)
                {
                    var at = today.AddDays(day).AddSeconds(random.Next(86_400));
                    results.Add(SyntheticResults.Result(random, SyntheticResults.MonitorId(monitor), location, at));
                }
            }

            await store.SaveBatchAsync(new ResultBatch(results, [], []), cancellationToken);
        }

        await store.FoldRollupsAsync(cancellationToken);
    }

    /// <summary>
    /// A live store's rollups have long been vacuumed and analysed by autovacuum; ninety days written a second ago
    /// have not, and reading them first costs what a live store never pays.
    /// </summary>
    private static async Task VacuumAsync(string storage, CancellationToken cancellationToken)
    {
        await using var connection = await BenchContext.OpenAsync(storage, cancellationToken);
        await ExecuteAsync(connection, "VACUUM ANALYZE result_rollups_daily", cancellationToken);
        await ExecuteAsync(connection, "VACUUM ANALYZE result_rollups_1min", cancellationToken);
    }

    /// <summary>Each component's availability in percent: the checks that did not fail, as the page would show it.</summary>
    private static Dictionary<string, double> SlaTable(IReadOnlyList<UptimeTotal> totals) =>
        totals.ToDictionary(
            total => "component-" + total.MonitorId["monitor-".Length..],
            total => total.Checks == 0 ? 100 : 100.0 * (total.Checks - total.Failures) / total.Checks);

    /// <summary>Runs once to warm up, then <paramref name="repeats"/> times; the median and the slowest, in ms.</summary>
    /// <param name="run">Returns what is wrong with the answer, or null.</param>
    /// <param name="prepare">Done before each run, untimed.</param>
    private static async Task<(double Median, double Max)> TimeAsync(int repeats, Func<Task<string?>> run, Func<Task>? prepare = null)
    {
        prepare ??= () => Task.CompletedTask;
        await prepare();
        if (await run() is { } wrong)
        {
            throw new InvalidOperationException(wrong);
        }

        var times = new List<double>(repeats);
        for (var i = 0; i < repeats; i++)
        {
            await prepare();
            var clock = Stopwatch.StartNew();
            await run();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        return (Stats.Median(times), times.Max());
    }
}
