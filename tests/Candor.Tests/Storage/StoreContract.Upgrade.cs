using Candor.Monitoring;
using Candor.Storage;

namespace Candor.Tests.Storage;

/// <summary>
/// A store written by an earlier version keeps what it holds when a later one migrates it. What the earlier version
/// wrote is written here in SQL: today's store folds into tables that version did not have.
/// </summary>
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
        var day = Floor(T0, TimeSpan.FromDays(1));
        await ExecuteAsync(
            storage,
            $"""
            INSERT INTO result_rollups_daily (day, monitor_id, checks, failures, degraded, latency_sum_ms, latency_max_ms)
            VALUES ({day}, 'web', 2, 1, 1, 200, 100), ({day - 86_400_000}, 'api', 1, 0, 0, 100, 100)
            """,
            Ct);

        var after = Open(storage);
        await after.MigrateAsync(Ct);
        await after.SaveBatchAsync(Batch(Result("web", "eu-west", T0.AddHours(2)), Result("api", "local", T0)), Ct);

        Assert.Equal([new UptimeTotal("api", 1, 0, 0)], await after.GetUptimeTotalsAsync(T0.AddDays(-2), T0.AddDays(-1).AddHours(12), Ct));
        Assert.Equal(
            [new UptimeTotal("api", 2, 0, 0), new UptimeTotal("web", 3, 1, 1)],
            await after.GetUptimeTotalsAsync(T0.AddDays(-2), T0.AddDays(1), Ct));
    }

    [Fact]
    public async Task A_store_written_before_the_five_minute_rollups_has_them_from_its_minutes_and_goes_on_counting()
    {
        var storage = await CreateStorageAsync(Ct);
        await MigrateUpToAsync(storage, 14);
        var minute = Floor(T0, TimeSpan.FromMinutes(1));
        await ExecuteAsync(
            storage,
            $"""
            INSERT INTO result_rollups (monitor_id, location_id, minute, checks, failures, degraded, latency_sum_ms, latency_max_ms)
            VALUES ('web', 'eu-west', {minute + 60_000}, 1, 1, 0, 30, 30),
                ('web', 'us-east', {minute + 240_000}, 1, 0, 0, 10, 10),
                ('api', 'local', {minute - 60_000}, 1, 0, 0, 5, 5)
            """,
            Ct);

        var after = Open(storage);
        await after.MigrateAsync(Ct);
        await after.SaveBatchAsync(Batch(Result("web", "eu-west", T0.AddMinutes(2), Outcome.Degraded, 50)), Ct);

        Assert.Equal(
            [
                new RollupSpan("api", T0.AddMinutes(-5), 1, 0, 0, 5, 5),
                new RollupSpan("web", T0, 3, 1, 1, 90, 50),
            ],
            await after.ReadFiveMinuteRollupsAsync(["web", "api"], T0.AddMinutes(-5), T0.AddMinutes(5), Ct).ToListAsync(Ct));
    }

    [Fact]
    public async Task A_store_written_with_minutes_by_location_has_them_summed_by_monitor_and_goes_on_counting()
    {
        var storage = await CreateStorageAsync(Ct);
        await MigrateUpToAsync(storage, 15);
        var minute = Floor(T0, TimeSpan.FromMinutes(1));
        await ExecuteAsync(
            storage,
            $"""
            INSERT INTO result_rollups (monitor_id, location_id, minute, checks, failures, degraded, latency_sum_ms, latency_max_ms)
            VALUES ('web', 'eu-west', {minute}, 2, 1, 0, 30, 20),
                ('web', 'us-east', {minute}, 1, 0, 1, 10, 10),
                ('web', 'us-east', {minute + 60_000}, 1, 0, 0, 5, 5),
                ('api', 'local', {minute}, 1, 0, 0, 7, 7)
            """,
            Ct);

        var after = Open(storage);
        await after.MigrateAsync(Ct);
        await after.SaveBatchAsync(Batch(Result("web", "local", T0.AddSeconds(30), Outcome.Down, 50)), Ct);

        Assert.Equal(
            [
                new RollupSpan("api", T0, 1, 0, 0, 7, 7),
                new RollupSpan("web", T0, 4, 2, 1, 90, 50),
                new RollupSpan("web", T0.AddMinutes(1), 1, 0, 0, 5, 5),
            ],
            await after.ReadMinuteRollupsAsync(T0, T0.AddMinutes(2), Ct).ToListAsync(Ct));
    }

    /// <summary>Every minute of a store written when the coarser rollups were folded with the minutes is in them already.</summary>
    [Fact]
    public async Task A_store_written_before_minutes_were_closed_counts_each_of_its_minutes_once_and_goes_on_counting()
    {
        var storage = await CreateStorageAsync(Ct);
        await MigrateUpToAsync(storage, 16);
        var minute = Floor(T0, TimeSpan.FromMinutes(1));
        var columns = "monitor_id, checks, failures, degraded, latency_sum_ms, latency_max_ms";
        await ExecuteAsync(
            storage,
            $"""
            INSERT INTO result_rollups_1min (minute, {columns}) VALUES ({minute}, 'web', 2, 1, 0, 30, 20), ({minute + 60_000}, 'web', 1, 0, 0, 5, 5);
            INSERT INTO result_rollups_5min (bucket, {columns}) VALUES ({minute}, 'web', 3, 1, 0, 35, 20);
            INSERT INTO result_rollups_hourly (hour, {columns}) VALUES ({minute}, 'web', 3, 1, 0, 35, 20);
            INSERT INTO result_rollups_daily (day, {columns}) VALUES ({Floor(T0, TimeSpan.FromDays(1))}, 'web', 3, 1, 0, 35, 20)
            """,
            Ct);

        var after = Open(storage);
        await after.MigrateAsync(Ct);
        await after.SaveBatchAsync(
            Batch(Result("web", "local", T0.AddSeconds(30), Outcome.Down, 50), Result("web", "local", T0.AddMinutes(20))),
            Ct);

        Assert.Equal(
            [new RollupSpan("web", T0, 5, 2, 0, 185, 100)],
            await after.ReadHourlyRollupsAsync(T0, T0.AddHours(1), Ct).ToListAsync(Ct));
        Assert.Equal(
            [new RollupSpan("web", T0, 4, 2, 0, 85, 50), new RollupSpan("web", T0.AddMinutes(20), 1, 0, 0, 100, 100)],
            await after.ReadFiveMinuteRollupsAsync(["web"], T0, T0.AddHours(1), Ct).ToListAsync(Ct));
        Assert.Equal([new UptimeTotal("web", 5, 2, 0)], await after.GetUptimeTotalsAsync(T0.AddDays(-1), T0.AddDays(1), Ct));
    }

    /// <summary>A time as the store keeps it, in ms since the epoch, floored to a span.</summary>
    private static long Floor(DateTimeOffset at, TimeSpan size) => at.ToUnixTimeMilliseconds() / (long)size.TotalMilliseconds * (long)size.TotalMilliseconds;

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
