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
            [new RollupMinute("web", "local", T0, 3, 1, 1, 240, 100)],
            await Store.GetRollupsAsync("web", T0, T0.AddHours(1), Ct));
        Assert.Equal(
            [new DailyUptime("web", DateOnly.FromDateTime(T0.UtcDateTime), 3, 1, 1)],
            await Store.GetDailyUptimeAsync(T0.AddHours(-12), T0.AddHours(12), Ct));
        Assert.Equal([new UptimeTotal("web", 3, 1, 1)], await Store.GetUptimeTotalsAsync(T0.AddHours(-12), T0.AddHours(12), Ct));
    }

    [Fact]
    public async Task A_reader_of_another_store_sees_every_result_stored_before_it_reads()
    {
        var reader = Open(Storage);
        await Store.SaveBatchAsync(Batch(Result("web", "local", T0)), Ct);
        Assert.Single(await reader.ReadRollupsAsync(T0, T0.AddHours(1), Ct).ToListAsync(Ct));

        await Store.SaveBatchAsync(Batch(Result("web", "eu-west", T0)), Ct);

        Assert.Equal(2, (await reader.ReadRollupsAsync(T0, T0.AddHours(1), Ct).ToListAsync(Ct)).Count);
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

        Assert.Equal(3, (await Store.GetRollupsAsync("web", T0, T0.AddHours(1), Ct)).Sum(rollup => rollup.Count));
    }
}
