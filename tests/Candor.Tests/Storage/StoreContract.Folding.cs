using Candor.Monitoring;
using Candor.Storage;

namespace Candor.Tests.Storage;

/// <summary>The rollups are folded from the stored results, each result counted once, whoever reads or folds.</summary>
public abstract partial class StoreContract
{
    [Fact]
    public async Task Results_are_counted_once_however_often_they_are_folded()
    {
        await Store.SaveBatchAsync(Batch(Result("web", "local", T0), Result("web", "local", T0.AddSeconds(10), Outcome.Down)), Ct);
        await Store.FoldRollupsAsync(Ct);
        await Store.FoldRollupsAsync(Ct);
        await Open(Storage).FoldRollupsAsync(Ct);
        await Store.SaveBatchAsync(Batch(Result("web", "local", T0.AddSeconds(20), Outcome.Degraded, 40)), Ct);

        Assert.Equal(
            [new RollupSpan("web", T0, 3, 1, 1, 240, 100)],
            await MinutesAsync(Store, "web", T0, T0.AddHours(1), Ct));
        Assert.Equal([new UptimeTotal("web", 3, 1, 1)], await Store.GetUptimeTotalsAsync(T0.AddHours(-12), T0.AddHours(12), Ct));
    }

    [Fact]
    public async Task A_fold_adds_late_results_to_their_stored_minutes_and_makes_rows_for_the_others()
    {
        await Store.SaveBatchAsync(
            Batch(Result("web", "local", T0), Result("web", "local", T0.AddMinutes(2)), Result("api", "local", T0.AddMinutes(5))),
            Ct);
        await Store.FoldRollupsAsync(Ct);

        await Store.SaveBatchAsync(
            Batch(
                Result("web", "local", T0.AddMinutes(6), Outcome.Down, 300),
                Result("web", "local", T0.AddSeconds(30), Outcome.Degraded, 50),
                Result("web", "local", T0.AddMinutes(1)),
                Result("api", "local", T0.AddMinutes(5).AddSeconds(59)),
                Result("web", "local", T0.AddMinutes(6).AddSeconds(1), Outcome.Up, 200)),
            Ct);

        Assert.Equal(
            [
                new RollupSpan("web", T0, 2, 0, 1, 150, 100),
                new RollupSpan("web", T0.AddMinutes(1), 1, 0, 0, 100, 100),
                new RollupSpan("web", T0.AddMinutes(2), 1, 0, 0, 100, 100),
                new RollupSpan("web", T0.AddMinutes(6), 2, 1, 0, 500, 300),
            ],
            await MinutesAsync(Store, "web", T0, T0.AddHours(1), Ct));
        Assert.Equal(
            [new RollupSpan("api", T0.AddMinutes(5), 2, 0, 0, 200, 100)],
            await MinutesAsync(Store, "api", T0, T0.AddHours(1), Ct));
        Assert.Equal(
            [new UptimeTotal("api", 2, 0, 0), new UptimeTotal("web", 6, 1, 1)],
            await Store.GetUptimeTotalsAsync(T0.AddHours(-12), T0.AddHours(12), Ct));
    }

    [Fact]
    public async Task The_progress_of_the_rollups_names_the_earliest_start_they_counted_since_a_mark()
    {
        var empty = await Store.GetRollupProgressAsync(null, Ct);
        Assert.Null(empty.EarliestSince);

        await Store.SaveBatchAsync(Batch(Result("web", "local", T0.AddMinutes(7)), Result("api", "local", T0.AddMinutes(5))), Ct);
        await Store.FoldRollupsAsync(Ct);
        var first = await Store.GetRollupProgressAsync(empty.Counted, Ct);
        Assert.Equal(T0.AddMinutes(5), first.EarliestSince);
        Assert.True(first.Counted > empty.Counted);

        // Stored and not yet folded: counted as it is asked about, as for any reader of the rollups.
        await Store.SaveBatchAsync(Batch(Result("web", "eu-west", T0.AddMinutes(-90))), Ct);
        var late = await Store.GetRollupProgressAsync(first.Counted, Ct);
        Assert.Equal(T0.AddMinutes(-90), late.EarliestSince);
        Assert.Equal(new RollupProgress(late.Counted, null), await Store.GetRollupProgressAsync(late.Counted, Ct));
        Assert.Equal(new RollupProgress(late.Counted, null), await Store.GetRollupProgressAsync(null, Ct));
    }

    [Fact]
    public async Task A_reader_of_another_store_sees_every_result_stored_before_it_reads()
    {
        var reader = Open(Storage);
        await Store.SaveBatchAsync(Batch(Result("web", "local", T0)), Ct);
        Assert.Equal(1, Assert.Single(await MinutesAsync(reader, "web", T0, T0.AddHours(1), Ct)).Count);

        await Store.SaveBatchAsync(Batch(Result("web", "eu-west", T0)), Ct);

        Assert.Equal(2, Assert.Single(await MinutesAsync(reader, "web", T0, T0.AddHours(1), Ct)).Count);
    }

    /// <remarks>
    /// On SQLite a plain rowid would start again at 1 once retention had emptied the table: at or below the mark of
    /// what is folded, so never counted.
    /// </remarks>
    [Fact]
    public async Task A_result_stored_after_retention_deleted_every_result_is_still_counted()
    {
        await Store.SaveBatchAsync(Batch(Result("web", "local", T0), Result("web", "local", T0.AddSeconds(30))), Ct);
        Assert.Equal(2, await Store.DeleteResultsBeforeAsync(T0.AddDays(1), Ct));

        await Store.SaveBatchAsync(Batch(Result("web", "local", T0.AddMinutes(5))), Ct);

        Assert.Equal([new UptimeTotal("web", 3, 0, 0)], await Store.GetUptimeTotalsAsync(T0.AddDays(-1), T0.AddDays(2), Ct));
    }

    /// <remarks>
    /// The five minutes, hours and days take minutes five at a time, once the minute after them has ended (here the
    /// minutes before Day0 + 5 once the api's minute 7 is stored); till then their readers add them from the minutes,
    /// and a result of a minute already closed goes to them directly.
    /// </remarks>
    [Fact]
    public async Task The_coarser_rollups_count_open_minutes_and_late_results_of_closed_ones_once()
    {
        await Store.SaveBatchAsync(
            Batch(
                Result("web", "local", Day0.AddMinutes(1), Outcome.Down, 20),
                Result("web", "local", Day0.AddMinutes(2), Outcome.Up, 40),
                Result("api", "local", Day0.AddMinutes(7))),
            Ct);

        Assert.Equal(
            [new RollupSpan("api", Day0, 1, 0, 0, 100, 100), new RollupSpan("web", Day0, 2, 1, 0, 60, 40)],
            await Store.ReadHourlyRollupsAsync(Day0, Day0.AddDays(1), Ct).ToListAsync(Ct));
        Assert.Equal(
            [new RollupSpan("api", Day0.AddMinutes(5), 1, 0, 0, 100, 100), new RollupSpan("web", Day0, 2, 1, 0, 60, 40)],
            await FiveMinutesByMonitorAsync(["web", "api"], Day0, Day0.AddDays(1)));
        Assert.Equal(
            [new UptimeTotal("api", 1, 0, 0), new UptimeTotal("web", 2, 1, 0)],
            await Store.GetUptimeTotalsAsync(Day0, Day0.AddDays(1), Ct));

        await Store.SaveBatchAsync(
            Batch(Result("web", "local", Day0.AddMinutes(1), Outcome.Degraded, 10), Result("web", "local", Day0.AddMinutes(40))),
            Ct);

        Assert.Equal(
            [new RollupSpan("api", Day0, 1, 0, 0, 100, 100), new RollupSpan("web", Day0, 4, 1, 1, 170, 100)],
            await Store.ReadHourlyRollupsAsync(Day0, Day0.AddDays(1), Ct).ToListAsync(Ct));
        Assert.Equal(
            [
                new RollupSpan("api", Day0.AddMinutes(5), 1, 0, 0, 100, 100),
                new RollupSpan("web", Day0, 3, 1, 1, 70, 40),
                new RollupSpan("web", Day0.AddMinutes(40), 1, 0, 0, 100, 100),
            ],
            await FiveMinutesByMonitorAsync(["web", "api"], Day0, Day0.AddDays(1)));

        await Store.SaveBatchAsync(Batch(Result("web", "local", Day0.AddHours(2), Outcome.Down, 30)), Ct);

        Assert.Equal(
            [
                new RollupSpan("api", Day0, 1, 0, 0, 100, 100),
                new RollupSpan("web", Day0, 4, 1, 1, 170, 100),
                new RollupSpan("web", Day0.AddHours(2), 1, 1, 0, 30, 30),
            ],
            await Store.ReadHourlyRollupsAsync(Day0, Day0.AddDays(1), Ct).ToListAsync(Ct));
        Assert.Equal(
            [new UptimeTotal("api", 1, 0, 0), new UptimeTotal("web", 5, 2, 1)],
            await Store.GetUptimeTotalsAsync(Day0, Day0.AddDays(1), Ct));
    }

    /// <summary>The read's monitors come in no order among them; each one's spans oldest first.</summary>
    private async Task<List<RollupSpan>> FiveMinutesByMonitorAsync(string[] monitorIds, DateTimeOffset from, DateTimeOffset to) =>
        [.. (await Store.ReadFiveMinuteRollupsAsync(monitorIds, from, to, Ct).ToListAsync(Ct)).OrderBy(span => span.MonitorId, StringComparer.Ordinal)];

    [Fact]
    public async Task Retention_keeps_the_minutes_the_coarser_rollups_do_not_count_yet()
    {
        await Store.SaveBatchAsync(
            Batch(Result("web", "local", T0), Result("web", "local", T0.AddMinutes(1)), Result("web", "local", T0.AddMinutes(6))),
            Ct);
        Assert.Equal(3, await Store.DeleteResultsBeforeAsync(T0.AddDays(1), Ct));

        await Store.SaveBatchAsync(Batch(Result("web", "local", T0.AddMinutes(10))), Ct);

        Assert.Equal([new UptimeTotal("web", 4, 0, 0)], await Store.GetUptimeTotalsAsync(T0.AddDays(-1), T0.AddDays(2), Ct));
        Assert.Equal(4, (await Store.ReadHourlyRollupsAsync(T0, T0.AddHours(1), Ct).ToListAsync(Ct)).Sum(hour => hour.Count));
    }
}
