using System.Diagnostics;
using Candor.Bench.Suite;
using Candor.Storage;

namespace Candor.Bench.Benchmarks;

/// <summary>
/// B5: the data behind the 90-day uptime bars of 1,000 monitors at three locations, and behind a month's SLA table
/// of 1,000 components (one monitor each), read from the daily rollups with the store's own queries.
/// </summary>
/// <remarks>
/// The rollups are seeded through the store: one result per monitor, location and day, written with
/// <see cref="ICandorStore.SaveBatchAsync"/> and folded into the rollups, as a live store's background fold does. The queries read one row per monitor,
/// location and day whatever the number of checks behind it, so this is the same work as 2,880 checks a day.
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

            var barsFrom = today.AddDays(1 - Days);
            var barsTo = today.AddDays(1);
            var (bars, barsMax) = await TimeAsync(repeats, async () =>
            {
                var days = await store.GetDailyUptimeAsync(barsFrom, barsTo, cancellationToken);
                return days.Count == monitors * Days ? null : $"{days.Count:N0} monitor-days read, {monitors * Days:N0} expected";
            });

            var slaFrom = today.AddDays(-SlaDays);
            var (sla, slaMax) = await TimeAsync(repeats, async () =>
            {
                var table = SlaTable(await store.GetUptimeTotalsAsync(slaFrom, today, cancellationToken));
                return table.Count == monitors ? null : $"{table.Count:N0} components in the table, {monitors:N0} expected";
            });

            context.Log($"B5 {kind.Display()}: bars {bars:0.0} ms, SLA table {sla:0.0} ms");
            rows.Add(new BenchRow(Id, $"90-day uptime bars, {monitors:N0} monitors × 3 locations, {kind.Display()}", new Measure(bars, "ms"), null,
                Target.AtMost(new Measure(50, "ms")),
                $"median of {repeats}, slowest {barsMax:0.0} ms; {monitors * Days:N0} daily rollups, each a monitor's three locations summed"));
            rows.Add(new BenchRow(Id, $"a month's SLA table, {monitors:N0} components, {kind.Display()}", new Measure(sla, "ms"), null,
                Target.AtMost(new Measure(1000, "ms")),
                $"median of {repeats}, slowest {slaMax:0.0} ms; {monitors * SlaDays:N0} daily rollups summed by monitor"));
        }

        return rows;
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
        await using var command = connection.CreateCommand();
        command.CommandText = "VACUUM ANALYZE result_rollups_daily";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Each component's availability in percent: the checks that did not fail, as the page would show it.</summary>
    private static Dictionary<string, double> SlaTable(IReadOnlyList<UptimeTotal> totals) =>
        totals.ToDictionary(
            total => "component-" + total.MonitorId["monitor-".Length..],
            total => total.Checks == 0 ? 100 : 100.0 * (total.Checks - total.Failures) / total.Checks);

    /// <summary>Runs once to warm up, then <paramref name="repeats"/> times; the median and the slowest, in ms.</summary>
    /// <param name="run">Returns what is wrong with the answer, or null.</param>
    private static async Task<(double Median, double Max)> TimeAsync(int repeats, Func<Task<string?>> run)
    {
        if (await run() is { } wrong)
        {
            throw new InvalidOperationException(wrong);
        }

        var times = new List<double>(repeats);
        for (var i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            await run();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        return (Stats.Median(times), times.Max());
    }
}
