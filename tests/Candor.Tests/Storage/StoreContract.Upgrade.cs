using Candor.Monitoring;
using Candor.Storage;

namespace Candor.Tests.Storage;

/// <summary>A store written by an earlier version keeps what it holds when a later one migrates it.</summary>
public abstract partial class StoreContract
{
    /// <summary>The folder of this engine's schema scripts.</summary>
    protected abstract string MigrationsFolder { get; }

    /// <summary>Runs statements that return nothing, straight against the database behind a storage value.</summary>
    protected abstract Task ExecuteAsync(string storage, string sql, CancellationToken cancellationToken);

    [Fact]
    public async Task A_store_written_before_the_uptime_bars_were_covered_keeps_its_days_and_goes_on_counting()
    {
        var storage = await CreateStorageAsync(Ct);
        await MigrateUpToAsync(storage, 13);
        var before = Open(storage);
        await before.SaveBatchAsync(
            Batch(
                Result("web", "eu-west", T0, Outcome.Down),
                Result("web", "us-east", T0.AddHours(1), Outcome.Degraded),
                Result("api", "local", T0.AddDays(-1))),
            Ct);
        await before.FoldRollupsAsync(Ct);

        var after = Open(storage);
        await after.MigrateAsync(Ct);
        await after.SaveBatchAsync(Batch(Result("web", "eu-west", T0.AddHours(2)), Result("api", "local", T0)), Ct);

        var today = DateOnly.FromDateTime(T0.UtcDateTime);
        Assert.Equal(
            [
                new DailyUptime("api", today.AddDays(-1), 1, 0, 0),
                new DailyUptime("api", today, 1, 0, 0),
                new DailyUptime("web", today, 3, 1, 1),
            ],
            await after.GetDailyUptimeAsync(T0.AddDays(-2), T0.AddDays(1), Ct));
        Assert.Equal(
            [new UptimeTotal("api", 2, 0, 0), new UptimeTotal("web", 3, 1, 1)],
            await after.GetUptimeTotalsAsync(T0.AddDays(-2), T0.AddDays(1), Ct));
    }

    /// <summary>Applies this engine's scripts up to a version, as the store of that version would have.</summary>
    private async Task MigrateUpToAsync(string storage, int version)
    {
        await ExecuteAsync(
            storage,
            "CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL)",
            Ct);
        foreach (var script in MigrationScripts.Load(MigrationsFolder).Where(script => script.Version <= version))
        {
            await ExecuteAsync(storage, script.Sql, Ct);
            await ExecuteAsync(
                storage, $"INSERT INTO schema_migrations (version, applied_at) VALUES ({script.Version}, 0)", Ct);
        }
    }
}
