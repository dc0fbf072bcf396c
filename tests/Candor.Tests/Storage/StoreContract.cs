using Candor.Monitoring;
using Candor.Storage;

namespace Candor.Tests.Storage;

/// <summary>
/// Everything a store must do, whatever engine is under it. Each subclass supplies fresh empty databases of one
/// engine; every test starts on its own, already migrated.
/// </summary>
public abstract partial class StoreContract : IAsyncLifetime, IDisposable
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A store that hangs fails its test instead of stalling the run.</summary>
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(120));
    private readonly List<ICandorStore> _stores = [];

    protected CancellationToken Ct => _timeout.Token;

    protected ICandorStore Store { get; private set; } = null!;

    /// <summary>The storage value behind <see cref="Store"/>.</summary>
    protected string Storage { get; private set; } = "";

    /// <summary>Makes a fresh, empty database and returns the <c>storage:</c> value that names it.</summary>
    protected abstract Task<string> CreateStorageAsync(CancellationToken cancellationToken);

    /// <summary>Runs a query that returns one number, straight against the database behind a storage value.</summary>
    protected abstract Task<long> QueryScalarAsync(string storage, string sql, CancellationToken cancellationToken);

    /// <summary>Removes what <see cref="CreateStorageAsync"/> made, once every store is closed.</summary>
    protected virtual void Cleanup()
    {
    }

    public async Task InitializeAsync()
    {
        Storage = await CreateStorageAsync(Ct);
        Store = Open(Storage);
        await Store.MigrateAsync(Ct);
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        Cleanup();
    }

    public void Dispose()
    {
        _timeout.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Migrating_twice_is_a_no_op()
    {
        var result = Result("web", "local", T0);
        await Store.SaveBatchAsync(Batch(result), Ct);
        var applied = await QueryScalarAsync(Storage, "SELECT COUNT(*) FROM schema_migrations", Ct);

        await Store.MigrateAsync(Ct);
        await Open(Storage).MigrateAsync(Ct);

        Assert.True(applied > 0);
        Assert.Equal(applied, await QueryScalarAsync(Storage, "SELECT COUNT(*) FROM schema_migrations", Ct));
        Assert.Equal(result, await Store.GetResultAsync(result.Id, Ct));
    }

    [Fact]
    public async Task Two_stores_migrating_a_fresh_database_at_once_both_succeed()
    {
        var storage = await CreateStorageAsync(Ct);
        var first = Open(storage);
        var second = Open(storage);

        await Task.WhenAll(first.MigrateAsync(Ct), second.MigrateAsync(Ct));

        Assert.Equal(
            await QueryScalarAsync(Storage, "SELECT COUNT(*) FROM schema_migrations", Ct),
            await QueryScalarAsync(storage, "SELECT COUNT(*) FROM schema_migrations", Ct));
        var result = Result("web", "local", T0);
        await first.SaveBatchAsync(Batch(result), Ct);
        Assert.Equal(result, await second.GetResultAsync(result.Id, Ct));
    }

    [Fact]
    public async Task Results_come_back_newest_first_within_the_range_from_every_location_up_to_the_limit()
    {
        var results = Enumerable.Range(0, 10)
            .Select(i => Result("web", i % 2 == 0 ? "eu-west" : "us-east", T0.AddSeconds(10 * i)))
            .ToList();
        await Store.SaveBatchAsync(Batch([.. results, Result("other", "eu-west", T0.AddSeconds(30))]), Ct);

        var inRange = await Store.GetResultsAsync("web", T0.AddSeconds(20), T0.AddSeconds(80), 100, Ct);
        var limited = await Store.GetResultsAsync("web", T0, T0.AddHours(1), 3, Ct);

        Assert.Equal(results[2..8].AsEnumerable().Reverse(), inRange);
        Assert.Equal(results[7..10].AsEnumerable().Reverse(), limited);
    }

    [Fact]
    public async Task A_result_reads_back_exactly_as_written_in_utc()
    {
        var full = new CheckResult(
            Guid.CreateVersion7(),
            "web",
            "eu-west",
            new DateTimeOffset(2026, 11, 1, 14, 0, 1, 234, TimeSpan.FromHours(2)),
            TimeSpan.FromTicks(1_234_567),
            Outcome.Down,
            ErrorKind.Tls,
            "certificate expired 3 days ago",
            new PhaseTimings(TimeSpan.FromTicks(12_345), TimeSpan.FromMilliseconds(20), null, TimeSpan.FromMilliseconds(99.5)));
        var bare = Result("web", "local", T0) with { Timings = PhaseTimings.None };
        await Store.SaveBatchAsync(Batch(full, bare), Ct);

        var read = await Store.GetResultAsync(full.Id, Ct);

        Assert.Equal(full, read);
        Assert.Equal(TimeSpan.Zero, read!.StartedAt.Offset);
        Assert.Equal(bare, await Store.GetResultAsync(bare.Id, Ct));
        Assert.Null(await Store.GetResultAsync(Guid.CreateVersion7(), Ct));
    }

    [Fact]
    public async Task A_message_quoting_nul_bytes_is_stored_without_them()
    {
        var result = Result("smtp", "local", T0, Outcome.Down) with { Message = "unexpected banner \0\u0001OK\0" };

        await Store.SaveBatchAsync(Batch(result), Ct);

        Assert.Equal("unexpected banner \u0001OK", (await Store.GetResultAsync(result.Id, Ct))!.Message);
    }

    [Fact]
    public async Task A_result_delivered_twice_is_stored_once_and_counted_once()
    {
        var first = Result("web", "local", T0);
        var second = Result("web", "local", T0.AddSeconds(10), Outcome.Down);
        var third = Result("web", "local", T0.AddSeconds(20));

        await Store.SaveBatchAsync(Batch(first, second), Ct);
        await Store.SaveBatchAsync(Batch(second, third, third), Ct);

        Assert.Equal([third, second, first], await Store.GetResultsAsync("web", T0, T0.AddHours(1), 100, Ct));
        var rollup = Assert.Single(await MinutesAsync(Store, "web", T0, T0.AddHours(1), Ct));
        Assert.Equal(3, rollup.Count);
        Assert.Equal(1, rollup.Failures);
    }

    [Fact]
    public async Task Rollups_add_up_each_minute_of_a_monitor_over_its_locations_exactly()
    {
        var minute = T0;
        var next = T0.AddMinutes(1);
        await Store.SaveBatchAsync(
            Batch(
                Result("web", "eu-west", minute.AddSeconds(0), Outcome.Up, 100),
                Result("web", "eu-west", minute.AddSeconds(15), Outcome.Down, 300),
                Result("web", "eu-west", minute.AddSeconds(30), Outcome.Degraded, 50.5),
                Result("web", "us-east", minute.AddSeconds(59.999), Outcome.Up, 20),
                Result("web", "eu-west", next, Outcome.Down, 10),
                Result("web", "eu-west", T0.AddMinutes(2), Outcome.Up, 1),
                Result("other", "eu-west", minute, Outcome.Down, 1)),
            Ct);
        await Store.SaveBatchAsync(Batch(Result("web", "eu-west", minute.AddSeconds(45), Outcome.Up, 400)), Ct);

        var rollups = await Store.ReadMinuteRollupsAsync(minute, T0.AddMinutes(2), Ct).ToListAsync(Ct);

        Assert.Equal(
            [
                new RollupSpan("other", minute, 1, 1, 0, 1, 1),
                new RollupSpan("web", minute, 5, 1, 1, 870.5, 400),
                new RollupSpan("web", next, 1, 1, 0, 10, 10),
            ],
            rollups);
        Assert.All(rollups, rollup => Assert.Equal(TimeSpan.Zero, rollup.Start.Offset));
    }

    [Fact]
    public async Task Location_states_round_trip_with_their_last_result_while_it_is_retained()
    {
        var last = Result("web", "eu-west", T0, Outcome.Down);
        var down = new LocationState("web", "eu-west", MonitorStatus.Down, T0, 3, T0.AddMinutes(-1), T0, last);
        var unknown = new LocationState("web", "us-east", MonitorStatus.Unknown, T0, 0, null, null, null);
        await Store.SaveBatchAsync(new ResultBatch([last], [down, unknown], []), Ct);

        Assert.Equal([down, unknown], await Store.GetLocationStatesAsync(Ct));

        var recovered = Result("web", "eu-west", T0.AddMinutes(1));
        var up = new LocationState("web", "eu-west", MonitorStatus.Up, T0.AddMinutes(1), 0, null, T0.AddMinutes(1), recovered);
        await Store.SaveBatchAsync(new ResultBatch([recovered], [up], []), Ct);
        await Store.DeleteResultsBeforeAsync(T0.AddHours(1), Ct);

        Assert.Equal([up with { LastResult = null }, unknown], await Store.GetLocationStatesAsync(Ct));
    }

    [Fact]
    public async Task A_state_unchanged_for_many_results_comes_back_after_a_restart_with_the_latest_result()
    {
        var first = Result("web", "eu-west", T0);
        var up = new LocationState("web", "eu-west", MonitorStatus.Up, T0, 0, null, T0, first);
        await Store.SaveBatchAsync(new ResultBatch([first], [up], []), Ct);
        var later = Enumerable.Range(1, 40).Select(i => Result("web", "eu-west", T0.AddSeconds(30 * i))).ToList();
        foreach (var chunk in later.Chunk(10))
        {
            await Store.SaveBatchAsync(new ResultBatch([.. chunk, Result("web", "us-east", chunk[^1].StartedAt.AddSeconds(1))], [], []), Ct);
        }

        var restarted = Open(Storage);

        Assert.Equal(
            [up with { LastCheckedAt = later[^1].StartedAt, LastResult = later[^1] }],
            await restarted.GetLocationStatesAsync(Ct));
    }

    [Fact]
    public async Task Of_two_results_started_at_the_same_instant_the_one_stored_last_is_the_last_result()
    {
        var state = new LocationState("web", "local", MonitorStatus.Up, T0, 0, null, null, null);
        var stored = Result("web", "local", T0) with { Id = Guid.CreateVersion7(T0.AddHours(1)) };
        var storedLater = Result("web", "local", T0);
        await Store.SaveBatchAsync(new ResultBatch([stored], [state], []), Ct);
        await Store.SaveBatchAsync(Batch(storedLater), Ct);

        Assert.Equal(storedLater, Assert.Single(await Store.GetLocationStatesAsync(Ct)).LastResult);
    }

    [Fact]
    public async Task Component_changes_set_the_current_state_and_append_to_the_history()
    {
        await Store.SaveBatchAsync(
            new ResultBatch([], [], [new("web", ComponentStatus.Operational, ComponentStatus.MajorOutage, T0)]), Ct);
        await Store.SaveBatchAsync(
            new ResultBatch(
                [],
                [],
                [
                    new("web", ComponentStatus.MajorOutage, ComponentStatus.PartialOutage, T0.AddMinutes(3)),
                    new("mail", ComponentStatus.Operational, ComponentStatus.DegradedPerformance, T0.AddMinutes(1)),
                    new("web", ComponentStatus.PartialOutage, ComponentStatus.Operational, T0.AddMinutes(5)),
                ]),
            Ct);

        Assert.Equal(
            [
                new ComponentState("mail", ComponentStatus.DegradedPerformance, T0.AddMinutes(1)),
                new ComponentState("web", ComponentStatus.Operational, T0.AddMinutes(5)),
            ],
            await Store.GetComponentStatesAsync(Ct));
        Assert.Equal(
            [
                new ComponentStatusChange("web", ComponentStatus.Operational, ComponentStatus.MajorOutage, T0),
                new ComponentStatusChange("web", ComponentStatus.MajorOutage, ComponentStatus.PartialOutage, T0.AddMinutes(3)),
                new ComponentStatusChange("web", ComponentStatus.PartialOutage, ComponentStatus.Operational, T0.AddMinutes(5)),
            ],
            await Store.GetComponentHistoryAsync("web", T0, T0.AddMinutes(10), Ct));
        Assert.Equal(
            [new ComponentStatusChange("web", ComponentStatus.MajorOutage, ComponentStatus.PartialOutage, T0.AddMinutes(3))],
            await Store.GetComponentHistoryAsync("web", T0.AddMinutes(1), T0.AddMinutes(5), Ct));
        Assert.Equal(
            [
                new ComponentStatusChange("mail", ComponentStatus.Operational, ComponentStatus.DegradedPerformance, T0.AddMinutes(1)),
                new ComponentStatusChange("web", ComponentStatus.MajorOutage, ComponentStatus.PartialOutage, T0.AddMinutes(3)),
            ],
            await Store.GetComponentHistoryAsync(T0.AddMinutes(1), T0.AddMinutes(5), Ct));
    }

    [Fact]
    public async Task Retention_deletes_old_raw_results_in_chunks_with_their_minutes_and_keeps_the_hours_and_days()
    {
        // A result every 31 s: more minutes than a chunk holds, as well as more results.
        var old = Enumerable.Range(0, 12_000).Select(i => Result("web", "local", T0.AddDays(-30).AddSeconds(i * 31))).ToList();
        var recent = Result("web", "local", T0);
        await Store.SaveBatchAsync(Batch([.. old, recent]), Ct);

        var deleted = await Store.DeleteResultsBeforeAsync(T0.AddDays(-1), Ct);

        Assert.Equal(12_000, deleted);
        Assert.Equal([recent], await Store.GetResultsAsync("web", T0.AddDays(-31), T0.AddDays(1), 100, Ct));
        Assert.Equal([new UptimeTotal("web", 12_001, 0, 0)], await Store.GetUptimeTotalsAsync(T0.AddDays(-31), T0.AddDays(1), Ct));
        Assert.Equal(12_001, (await Store.ReadHourlyRollupsAsync(T0.AddDays(-31), T0.AddDays(1), Ct).ToListAsync(Ct)).Sum(hour => hour.Count));
        Assert.Equal([T0], (await MinutesAsync(Store, "web", T0.AddDays(-31), T0.AddDays(1), Ct)).Select(minute => minute.Start));
        Assert.Equal(
            [T0],
            await Store.ReadFiveMinuteRollupsAsync(["web"], T0.AddDays(-31), T0.AddDays(1), Ct).Select(bucket => bucket.Start).ToListAsync(Ct));
        Assert.Equal(0, await Store.DeleteResultsBeforeAsync(T0.AddDays(-1), Ct));
    }

    [Fact]
    public async Task Latest_pings_are_the_newest_of_each_kind()
    {
        await Store.RecordPingAsync(new HeartbeatPing("mail", PingKind.Success, T0.AddMinutes(5), "10.0.0.1"), Ct);
        await Store.RecordPingAsync(new HeartbeatPing("mail", PingKind.Success, T0, null), Ct);
        await Store.RecordPingAsync(new HeartbeatPing("mail", PingKind.Fail, T0.AddMinutes(2), null), Ct);
        await Store.RecordPingAsync(new HeartbeatPing("backup", PingKind.Start, T0.AddMinutes(9), null), Ct);

        Assert.Equal(new LatestPings(T0.AddMinutes(5), T0.AddMinutes(2), null), await Store.GetLatestPingsAsync("mail", Ct));
        Assert.Equal(new LatestPings(null, null, null), await Store.GetLatestPingsAsync("nothing", Ct));
    }

    /// <remarks>The backup job pings once a month, so its last ping is older than the retention.</remarks>
    [Fact]
    public async Task Retention_deletes_old_pings_but_the_latest_of_each_kind()
    {
        for (var day = 40; day >= 0; day--)
        {
            await Store.RecordPingAsync(new HeartbeatPing("mail", PingKind.Success, T0.AddDays(-day), null), Ct);
        }

        await Store.RecordPingAsync(new HeartbeatPing("mail", PingKind.Fail, T0.AddDays(-35), null), Ct);
        await Store.RecordPingAsync(new HeartbeatPing("backup", PingKind.Start, T0.AddDays(-32), null), Ct);
        await Store.RecordPingAsync(new HeartbeatPing("backup", PingKind.Success, T0.AddDays(-32).AddMinutes(20), null), Ct);
        await Store.RecordPingAsync(new HeartbeatPing("backup", PingKind.Success, T0.AddDays(-62), null), Ct);

        await Store.DeleteResultsBeforeAsync(T0.AddDays(-30), Ct);

        Assert.Equal(new LatestPings(T0, T0.AddDays(-35), null), await Store.GetLatestPingsAsync("mail", Ct));
        Assert.Equal(
            new LatestPings(T0.AddDays(-32).AddMinutes(20), null, T0.AddDays(-32)), await Store.GetLatestPingsAsync("backup", Ct));
        Assert.Equal(31 + 1 + 2, await QueryScalarAsync(Storage, "SELECT COUNT(*) FROM heartbeat_pings", Ct));
    }

    [Fact]
    public async Task Sync_keeps_the_first_seen_time_and_a_generated_token_across_restarts()
    {
        var first = await Store.SyncMonitorsAsync(
            [new("mail", "heartbeat", null, "generated-1"), new("web", "http", null, null)], T0, Ct);
        var again = await Store.SyncMonitorsAsync(
            [new("mail", "heartbeat", null, "generated-2"), new("web", "tcp", null, null)], T0.AddHours(1), Ct);

        Assert.Equal([new("mail", "heartbeat", T0, "generated-1"), new("web", "http", T0, null)], first);
        Assert.Equal([new("mail", "heartbeat", T0, "generated-1"), new("web", "tcp", T0, null)], again);
        Assert.Equal(new MonitorRecord("web", "tcp", T0, null), await Store.GetMonitorAsync("web", Ct));
        Assert.Null(await Store.GetMonitorAsync("gone", Ct));
    }

    [Fact]
    public async Task Sync_stores_more_monitors_than_one_round_trip_carries()
    {
        // PostgreSQL sends a thousand rows per round trip; the last of three trips is a partial one.
        var monitors = Enumerable.Range(0, 2_345)
            .Select(i => new MonitorRegistration($"m{i:00000}", i % 2 == 0 ? "http" : "heartbeat", null, i % 2 == 0 ? null : $"token-{i}"))
            .ToList();

        var synced = await Store.SyncMonitorsAsync(monitors, T0, Ct);

        Assert.Equal(monitors.Select(m => new MonitorRecord(m.MonitorId, m.Type, T0, m.NewToken)), synced);
        Assert.Equal(new MonitorRecord("m02344", "http", T0, null), await Store.GetMonitorAsync("m02344", Ct));
        Assert.Equal("m02343", await Store.FindMonitorByHeartbeatTokenAsync("token-2343", Ct));
    }

    [Fact]
    public async Task Sync_replaces_the_token_with_a_configured_one_and_fills_a_missing_one()
    {
        await Store.SyncMonitorsAsync([new("mail", "heartbeat", null, "generated")], T0, Ct);
        var configured = await Store.SyncMonitorsAsync([new("mail", "heartbeat", "from-config", "other")], T0, Ct);
        var changed = await Store.SyncMonitorsAsync([new("mail", "heartbeat", "changed", null)], T0, Ct);
        var dropped = await Store.SyncMonitorsAsync([new("mail", "heartbeat", null, "generated-again")], T0, Ct);
        await Store.SyncMonitorsAsync([new("cron", "http", null, null)], T0, Ct);
        var filled = await Store.SyncMonitorsAsync([new("cron", "heartbeat", null, "new")], T0, Ct);

        Assert.Equal("from-config", Assert.Single(configured).HeartbeatToken);
        Assert.Equal("changed", Assert.Single(changed).HeartbeatToken);
        Assert.Equal("changed", Assert.Single(dropped).HeartbeatToken);
        Assert.Equal("new", Assert.Single(filled).HeartbeatToken);
    }

    [Fact]
    public async Task A_heartbeat_token_finds_its_monitor()
    {
        await Store.SyncMonitorsAsync(
            [new("mail", "heartbeat", null, "token-mail"), new("backup", "heartbeat", "token-backup", null)], T0, Ct);

        Assert.Equal("mail", await Store.FindMonitorByHeartbeatTokenAsync("token-mail", Ct));
        Assert.Equal("backup", await Store.FindMonitorByHeartbeatTokenAsync("token-backup", Ct));
        Assert.Null(await Store.FindMonitorByHeartbeatTokenAsync("token-unknown", Ct));
    }

    [Fact]
    public async Task Concurrent_writers_all_succeed()
    {
        var writers = Enumerable.Range(0, 8).Select(async writer =>
        {
            for (var batch = 0; batch < 10; batch++)
            {
                var results = Enumerable.Range(0, 20)
                    .Select(i => Result("web", $"location-{writer}", T0.AddSeconds((batch * 20) + i)))
                    .ToList();
                var state = new LocationState("web", $"location-{writer}", MonitorStatus.Up, T0, 0, null, results[^1].StartedAt, results[^1]);
                await Store.SaveBatchAsync(new ResultBatch(results, [state], []), Ct);
                await Store.RecordPingAsync(new HeartbeatPing("mail", PingKind.Success, T0.AddSeconds(batch), null), Ct);
            }
        });

        await Task.WhenAll(writers);

        Assert.Equal(1_600, (await Store.GetResultsAsync("web", T0, T0.AddHours(1), 10_000, Ct)).Count);
        Assert.Equal(1_600, (await MinutesAsync(Store, "web", T0, T0.AddHours(1), Ct)).Sum(rollup => rollup.Count));
        Assert.Equal(8, (await Store.GetLocationStatesAsync(Ct)).Count);
    }

    protected ICandorStore Open(string storage)
    {
        var store = StoreFactory.Create(storage);
        _stores.Add(store);
        return store;
    }

    protected static CheckResult Result(
        string monitorId, string locationId, DateTimeOffset startedAt, Outcome outcome = Outcome.Up, double milliseconds = 100) =>
        new(
            Guid.CreateVersion7(startedAt),
            monitorId,
            locationId,
            startedAt,
            TimeSpan.FromMilliseconds(milliseconds),
            outcome,
            outcome == Outcome.Down ? ErrorKind.Connect : null,
            outcome == Outcome.Down ? "connection refused" : null,
            new PhaseTimings(Connect: TimeSpan.FromMilliseconds(milliseconds / 2)));

    protected static ResultBatch Batch(params IReadOnlyList<CheckResult> results) => new(results, [], []);

    /// <summary>The rollup minutes of one monitor in <c>[from, to)</c>, oldest first.</summary>
    protected static async Task<List<RollupSpan>> MinutesAsync(
        ICandorStore store, string monitorId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        await store.ReadMinuteRollupsAsync(from, to, cancellationToken).Where(minute => minute.MonitorId == monitorId).ToListAsync(cancellationToken);
}
