using System.Data.Common;
using System.Runtime.CompilerServices;
using Candor.Incidents;
using Candor.Monitoring;

namespace Candor.Storage;

/// <summary>
/// The one implementation of <see cref="ICandorStore"/>. The SQL here runs unchanged on SQLite and PostgreSQL;
/// the dialect supplies connections, schema scripts and the bulk write paths.
/// </summary>
internal sealed partial class SqlStore(ISqlDialect dialect, TimeProvider time) : ICandorStore
{
    /// <summary>Small enough that retention never holds the write lock for more than a moment.</summary>
    private const int DeleteChunk = 5_000;

    private const string SelectResults = "SELECT " + SharedSql.ResultColumns + " FROM check_results";

    private const string TokenColumns = "id, name, role, hash, created_at, revoked_at";

    /// <summary>The fold of new results into every rollup table, reading the results once.</summary>
    private readonly string _fold = dialect.OverStaged(SharedSql.Folded, SharedSql.FoldedMinutes, SharedSql.FoldIntoRollups);

    private static readonly RowStatement<ComponentStatusChange> UpsertComponentState = new(
        """
        INSERT INTO component_states (component_id, status, since) VALUES (@component_id, @status, @since)
        ON CONFLICT (component_id) DO UPDATE SET status = excluded.status, since = excluded.since
        """,
        new("component_id", change => change.ComponentId),
        new("status", change => StoredValues.Name(change.To)),
        new("since", change => StoredValues.UnixMs(change.At)));

    private static readonly RowStatement<ComponentStatusChange> AppendComponentHistory = new(
        """
        INSERT INTO component_history (component_id, from_status, to_status, at)
        VALUES (@component_id, @from_status, @to_status, @at)
        """,
        new("component_id", change => change.ComponentId),
        new("from_status", change => StoredValues.Name(change.From)),
        new("to_status", change => StoredValues.Name(change.To)),
        new("at", change => StoredValues.UnixMs(change.At)));

    /// <summary>A known component keeps the time it was first seen.</summary>
    private static readonly RowStatement<ComponentRecord> InsertComponent = new(
        "INSERT INTO components (id, created_at) VALUES (@id, @created_at) ON CONFLICT (id) DO NOTHING",
        new("id", component => component.ComponentId),
        new("created_at", component => StoredValues.UnixMs(component.CreatedAt)));

    /// <summary>
    /// A configured token always wins; otherwise a stored token is kept and the new one only fills a gap, so a
    /// generated token that users have put in their cron jobs survives restarts.
    /// </summary>
    private static readonly RowStatement<MonitorSyncRow> UpsertMonitor = new(
        """
        INSERT INTO monitors (monitor_id, type, first_seen_at, heartbeat_token)
        VALUES (@monitor_id, @type, @first_seen_at, @heartbeat_token)
        ON CONFLICT (monitor_id) DO UPDATE SET
            type = excluded.type,
            heartbeat_token = CASE WHEN @token_configured = 1 THEN excluded.heartbeat_token
                ELSE COALESCE(monitors.heartbeat_token, excluded.heartbeat_token) END
        """,
        new("monitor_id", row => row.Monitor.MonitorId),
        new("type", row => row.Monitor.Type),
        new("first_seen_at", row => row.FirstSeenAt),
        new("heartbeat_token", row => row.Monitor.ConfiguredToken ?? row.Monitor.NewToken),
        new("token_configured", row => row.Monitor.ConfiguredToken is null ? 0 : 1));

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        foreach (var script in MigrationScripts.Load(dialect.MigrationsFolder))
        {
            using var writer = await dialect.EnterWriterAsync(cancellationToken);
            await using var connection = await dialect.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await dialect.LockForMigrationAsync(transaction, cancellationToken);
            await ExecuteAsync(
                transaction,
                "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL)",
                cancellationToken);

            var applied = await ScalarAsync(
                transaction,
                "SELECT COUNT(*) FROM schema_migrations WHERE version = @version",
                cancellationToken,
                ("version", script.Version));
            if (applied > 0)
            {
                continue;
            }

            await ExecuteAsync(transaction, script.Sql, cancellationToken);
            await ExecuteAsync(
                transaction,
                "INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @applied_at)",
                cancellationToken,
                ("version", script.Version),
                ("applied_at", StoredValues.UnixMs(time.GetUtcNow())));
            await transaction.CommitAsync(cancellationToken);
        }
    }

    public async Task<IReadOnlyList<MonitorRecord>> SyncMonitorsAsync(
        IReadOnlyList<MonitorRegistration> monitors, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var writer = await dialect.EnterWriterAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // A restart mostly finds the monitors as it left them: reading them all and writing only what differs takes a
        // fraction of the time that writing 100,000 unchanged rows did.
        var stored = await ReadMonitorsAsync(transaction, cancellationToken);
        var firstSeenAt = StoredValues.UnixMs(now);
        var rows = monitors
            .Where(monitor => Changes(monitor, stored.GetValueOrDefault(monitor.MonitorId)))
            .OrderBy(monitor => monitor.MonitorId, StringComparer.Ordinal)
            .Select(monitor => new MonitorSyncRow(monitor, firstSeenAt))
            .ToList();
        if (rows.Count > 0)
        {
            await dialect.ExecuteEachAsync(transaction, UpsertMonitor, rows, cancellationToken);
            stored = await ReadMonitorsAsync(transaction, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return monitors.Select(monitor => stored[monitor.MonitorId]).ToList();
    }

    /// <summary>Whether <see cref="UpsertMonitor"/> would change the stored row, or there is none.</summary>
    private static bool Changes(MonitorRegistration monitor, MonitorRecord? stored) =>
        stored is null
        || stored.Type != monitor.Type
        || (monitor.ConfiguredToken is { } configured
            ? stored.HeartbeatToken != configured
            : stored.HeartbeatToken is null && monitor.NewToken is not null);

    /// <remarks>All of them, in one statement both engines read alike: the config names most of them anyway.</remarks>
    private static async Task<Dictionary<string, MonitorRecord>> ReadMonitorsAsync(DbTransaction transaction, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<string, MonitorRecord>(StringComparer.Ordinal);
        await using var command = Command(transaction, "SELECT monitor_id, type, first_seen_at, heartbeat_token FROM monitors");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var record = ReadMonitor(reader);
            stored[record.MonitorId] = record;
        }

        return stored;
    }

    public async Task<MonitorRecord?> GetMonitorAsync(string monitorId, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            "SELECT monitor_id, type, first_seen_at, heartbeat_token FROM monitors WHERE monitor_id = @monitor_id",
            ("monitor_id", monitorId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadMonitor(reader) : null;
    }

    public async Task<string?> FindMonitorByHeartbeatTokenAsync(string token, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection, "SELECT monitor_id FROM monitors WHERE heartbeat_token = @token", ("token", token));
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task SaveBatchAsync(ResultBatch batch, CancellationToken cancellationToken)
    {
        // Sorting gives concurrent writers one lock order on PostgreSQL, so two batches never deadlock.
        var results = batch.Results
            .DistinctBy(result => result.Id)
            .OrderBy(result => result.Id)
            .Select(WithStorableMessage)
            .ToList();
        var states = batch.LocationStates
            .GroupBy(state => (state.MonitorId, state.LocationId))
            .Select(group => group.Last())
            .OrderBy(state => state.MonitorId, StringComparer.Ordinal)
            .ThenBy(state => state.LocationId, StringComparer.Ordinal)
            .ToList();
        var changes = batch.ComponentChanges
            .OrderBy(change => change.ComponentId, StringComparer.Ordinal)
            .ToList();
        if (results.Count == 0 && states.Count == 0 && changes.Count == 0 && batch.Incidents.IsEmpty && batch.Maintenance.IsEmpty)
        {
            return;
        }

        using var writer = await dialect.EnterWriterAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (results.Count > 0)
        {
            await dialect.InsertNewResultsAsync(transaction, results, cancellationToken);
        }

        if (states.Count > 0)
        {
            await dialect.UpsertLocationStatesAsync(transaction, states, cancellationToken);
        }

        if (changes.Count > 0)
        {
            await dialect.ExecuteEachAsync(transaction, UpsertComponentState, changes, cancellationToken);
            await dialect.ExecuteEachAsync(transaction, AppendComponentHistory, changes, cancellationToken);
        }

        await WriteIncidentChangesAsync(transaction, batch.Incidents, cancellationToken);
        await WriteMaintenanceChangesAsync(transaction, batch.Maintenance, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <remarks>
    /// On PostgreSQL a writer takes its sequence numbers when it writes and may commit after a writer that took
    /// later ones; the dialect's fold lock waits for every writer in flight and keeps new ones out until the fold
    /// commits, so the highest number read here has nothing below it still to come. On SQLite the writer's lock
    /// does the same.
    /// </remarks>
    public async Task FoldRollupsAsync(CancellationToken cancellationToken)
    {
        using var writer = await dialect.EnterWriterAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await dialect.BeginFoldAsync(transaction, cancellationToken);
        var from = await ScalarAsync(transaction, "SELECT folded_seq FROM rollup_watermark", cancellationToken);
        var to = await ScalarAsync(transaction, "SELECT COALESCE(MAX(seq), 0) FROM check_results", cancellationToken);
        if (to > from)
        {
            var closed = await ScalarAsync(transaction, "SELECT closed_minute FROM rollup_watermark", cancellationToken);
            await ExecuteAsync(
                transaction,
                _fold,
                cancellationToken,
                ("from", from),
                ("to", to),
                ("down", StoredValues.Name(Outcome.Down)),
                ("degraded", StoredValues.Name(Outcome.Degraded)),
                ("fresh", await FreshMinuteAsync(transaction, cancellationToken)),
                ("closed", closed));
            await CloseMinutesAsync(transaction, closed, cancellationToken);
            await ExecuteAsync(transaction, "UPDATE rollup_watermark SET folded_seq = @to", cancellationToken, ("to", to));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Closes the minutes up to the start of the five minutes that hold the one before the latest stored: results of
    /// a minute still arrive for a while after it ends, from checks that started in it, and those of an open minute
    /// cost a write of the minutes alone. Closed five at a time, a monitor's five minutes, hour and day take one write
    /// each per five minutes rather than one a minute: with 100,000 monitors, 60,000 rows a minute rather than
    /// 300,000, where the minutes themselves take 100,000 (on SQLite, ten minutes of them closed in 4.5-5.7 s against
    /// 10.4-10.9 s one by one). Their readers add up to six open minutes instead of two.
    /// </summary>
    private static async Task CloseMinutesAsync(DbTransaction transaction, long closed, CancellationToken cancellationToken)
    {
        await using var latest = Command(transaction, "SELECT MAX(minute) FROM result_rollups_1min");
        if (await latest.ExecuteScalarAsync(cancellationToken) is long minute
            && SpanStart(minute - 60_000, SharedSql.FiveMinutes.Size) is var until && until > closed)
        {
            await ExecuteAsync(transaction, SharedSql.CloseMinutes, cancellationToken, ("closed", closed), ("until", until));
        }
    }

    /// <summary>
    /// The start of the span of <paramref name="size"/> ms that holds <paramref name="time"/>, also before 1970, as
    /// <see cref="SharedSql.Floor"/> computes it in SQL.
    /// </summary>
    private static long SpanStart(long time, long size) => time - (((time % size) + size) % size);

    /// <summary>The minute after the latest one stored, from which <see cref="SharedSql.FoldIntoRollups"/> insert without looking.</summary>
    private static async Task<long> FreshMinuteAsync(DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = Command(transaction, "SELECT MAX(minute) FROM result_rollups_1min");
        return await command.ExecuteScalarAsync(cancellationToken) is long latest ? latest + 60_000 : long.MinValue;
    }

    /// <summary>
    /// What every read of rollups does first: a look at two numbers when everything is counted, a fold when not.
    /// The background fold (<see cref="RollupFolder"/>) keeps the second case rare.
    /// </summary>
    private async Task FoldIfBehindAsync(CancellationToken cancellationToken)
    {
        await using (var connection = await dialect.OpenAsync(cancellationToken))
        await using (var command = Command(
            connection,
            """
            SELECT CASE WHEN (SELECT MAX(seq) FROM check_results) > (SELECT folded_seq FROM rollup_watermark)
                THEN 1 ELSE 0 END
            """))
        {
            if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                return;
            }
        }

        await FoldRollupsAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<CheckResult>> GetResultsAsync(
        string monitorId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        // SQLite reads a negative limit as none at all, PostgreSQL as an error: neither is what a caller meant.
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            SelectResults + """
                 WHERE monitor_id = @monitor_id AND started_at >= @from AND started_at < @to
                ORDER BY started_at DESC, id DESC
                LIMIT @limit
                """,
            ("monitor_id", monitorId),
            ("from", StoredValues.UnixMs(from)),
            ("to", StoredValues.UnixMs(to)),
            ("limit", limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var results = new List<CheckResult>();
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(ReadResult(reader, 0));
        }

        return results;
    }

    public async Task<CheckResult?> GetResultAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, SelectResults + " WHERE id = @id", ("id", dialect.IdValue(id)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadResult(reader, 0) : null;
    }

    public async Task SaveDiagnosticsAsync(Guid resultId, string json, CancellationToken cancellationToken)
    {
        using var writer = await dialect.EnterWriterAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            """
            INSERT INTO result_diagnostics (result_id, bundle) VALUES (@result_id, @bundle)
            ON CONFLICT (result_id) DO UPDATE SET bundle = excluded.bundle
            """,
            ("result_id", dialect.IdValue(resultId)),
            ("bundle", json));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<string?> GetDiagnosticsAsync(Guid resultId, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            "SELECT bundle FROM result_diagnostics WHERE result_id = @result_id",
            ("result_id", dialect.IdValue(resultId)));
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public IAsyncEnumerable<RollupSpan> ReadMinuteRollupsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        ReadMinutesAsync(from, to, cancellationToken);

    public IAsyncEnumerable<RollupSpan> ReadFiveMinuteRollupsAsync(
        IReadOnlyCollection<string> monitorIds, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        ReadSpansAsync(SharedSql.FiveMinutes, monitorIds, from, to, cancellationToken);

    public IAsyncEnumerable<RollupSpan> ReadHourlyRollupsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        ReadSpansAsync(SharedSql.Hours, null, from, to, cancellationToken);

    public IAsyncEnumerable<RollupSpan> ReadHourlyRollupsAsync(
        IReadOnlyCollection<string> monitorIds, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        ReadSpansAsync(SharedSql.Hours, monitorIds, from, to, cancellationToken);

    /// <remarks>
    /// Folds first, as every reader of rollups does. Results are counted in the order of their sequence numbers, and each
    /// fold moves the mark over all it counted at once: the results counted since a mark are those after it, up to the
    /// mark now. The mark is read in the same statement, so the two agree.
    /// </remarks>
    public async Task<RollupProgress> GetRollupProgressAsync(long? countedSince, CancellationToken cancellationToken)
    {
        await FoldIfBehindAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = countedSince is { } since
            ? Command(
                connection,
                """
                SELECT w.folded_seq, (
                    SELECT MIN(r.started_at) FROM check_results r WHERE r.seq > @since AND r.seq <= w.folded_seq)
                FROM rollup_watermark w
                """,
                ("since", since))
            : Command(connection, "SELECT folded_seq, NULL FROM rollup_watermark");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new RollupProgress(reader.GetInt64(0), StoredValues.FromUnixMs(reader.GetNullableInt64(1)));
    }

    private async IAsyncEnumerable<RollupSpan> ReadMinutesAsync(
        DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await FoldIfBehindAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            $"""
            SELECT minute, {SharedSql.RollupCounts} FROM result_rollups_1min
            WHERE minute >= @from AND minute < @to
            ORDER BY minute, monitor_id
            """,
            ("from", StoredValues.UnixMs(from)),
            ("to", StoredValues.UnixMs(to)));
        await foreach (var span in ReadSpansAsync(command, cancellationToken))
        {
            yield return span;
        }
    }

    /// <summary>
    /// The spans of every monitor in a coarser table, oldest first, or of some, each monitor's oldest first. The spans
    /// before the one that holds the first open minute are read as stored; from it on, the open minutes are added to
    /// what is stored, read in one statement that reads the watermark itself. A fold between the two reads only closes
    /// minutes of spans the second one reads.
    /// </summary>
    /// <param name="monitorIds">Null for every monitor.</param>
    private async IAsyncEnumerable<RollupSpan> ReadSpansAsync(
        CoarseTable table,
        IReadOnlyCollection<string>? monitorIds,
        DateTimeOffset from,
        DateTimeOffset to,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await FoldIfBehindAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var closed = await ClosedMinuteAsync(connection, cancellationToken);
        var boundary = SpanStart(closed, table.Size);
        (string, object?)[] parameters =
        [
            ("from", StoredValues.UnixMs(from)), ("to", StoredValues.UnixMs(to)), ("boundary", boundary), ("closed", closed),
            .. monitorIds is null ? [] : new[] { ("monitors", dialect.TextList(monitorIds)) },
        ];
        var ofMonitors = monitorIds is null ? "" : $"AND {dialect.IsOneOf("monitor_id", "monitors")}";
        var span = table.Span;

        // A few monitors' spans are read through the index by monitor, in its order.
        var order = monitorIds is null ? $"{span}, monitor_id" : $"monitor_id, {span}";
        await using (var stored = Command(
            connection,
            $"""
            SELECT {span}, {SharedSql.RollupCounts} FROM {table.Name}
            WHERE {span} >= @from AND {span} < @to AND {span} < @boundary {ofMonitors}
            ORDER BY {order}
            """,
            parameters))
        {
            await foreach (var rollup in ReadSpansAsync(stored, cancellationToken))
            {
                yield return rollup;
            }
        }

        // Summed here rather than by the database: these are a span or two of every monitor, and SQLite took as long to
        // sort and group the 2,000 of B5's five minutes as to read the 17,000 before them.
        var openSpan = SharedSql.Floor("minute", table.Size);
        await using var withOpen = Command(
            connection,
            $"""
            SELECT {span}, {SharedSql.RollupCounts} FROM {table.Name}
            WHERE {span} >= @from AND {span} < @to AND {span} >= @boundary {ofMonitors}
            UNION ALL
            SELECT {openSpan}, {SharedSql.RollupCounts} FROM result_rollups_1min
            WHERE {SharedSql.OpenMinutes} AND {openSpan} >= @from AND {openSpan} < @to {ofMonitors}
            """,
            parameters);
        var sums = new Dictionary<(DateTimeOffset, string), RollupSpan>();
        await foreach (var part in ReadSpansAsync(withOpen, cancellationToken))
        {
            sums[(part.Start, part.MonitorId)] = sums.TryGetValue((part.Start, part.MonitorId), out var sum)
                ? sum with
                {
                    Count = sum.Count + part.Count,
                    Failures = sum.Failures + part.Failures,
                    Degraded = sum.Degraded + part.Degraded,
                    LatencySumMs = sum.LatencySumMs + part.LatencySumMs,
                    LatencyMaxMs = Math.Max(sum.LatencyMaxMs, part.LatencyMaxMs),
                }
                : part;
        }

        foreach (var rollup in sums.Values.OrderBy(sum => sum.Start).ThenBy(sum => sum.MonitorId, StringComparer.Ordinal))
        {
            yield return rollup;
        }
    }

    private static async Task<long> ClosedMinuteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, "SELECT closed_minute FROM rollup_watermark");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Rows of a span's start and <see cref="SharedSql.RollupCounts"/>.</summary>
    private static async IAsyncEnumerable<RollupSpan> ReadSpansAsync(DbCommand command, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new RollupSpan(
                reader.GetString(1),
                StoredValues.FromUnixMs(reader.GetInt64(0)),
                reader.GetInt32(2),
                reader.GetInt32(3),
                reader.GetInt32(4),
                reader.GetDouble(5),
                reader.GetDouble(6));
        }
    }

    /// <remarks>The open minutes are added in the same statement, which reads the watermark itself.</remarks>
    public async Task<IReadOnlyList<UptimeTotal>> GetUptimeTotalsAsync(
        DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await FoldIfBehindAsync(cancellationToken);
        var openDay = SharedSql.Floor("minute", SharedSql.Days.Size);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            $"""
            SELECT monitor_id, SUM(checks), SUM(failures), SUM(degraded) FROM (
                SELECT monitor_id, checks, failures, degraded FROM result_rollups_daily
                WHERE day >= @from AND day < @to
                UNION ALL
                SELECT monitor_id, checks, failures, degraded FROM result_rollups_1min
                WHERE {SharedSql.OpenMinutes} AND {openDay} >= @from AND {openDay} < @to
            ) days
            GROUP BY monitor_id
            ORDER BY monitor_id
            """,
            ("from", StoredValues.UnixMs(from)),
            ("to", StoredValues.UnixMs(to)),
            ("closed", await ClosedMinuteAsync(connection, cancellationToken)));
        return await ReadAllAsync(
            command,
            reader => new UptimeTotal(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)),
            cancellationToken);
    }

    /// <remarks>
    /// The results are folded first, and only folded ones are deleted: a result stored after the fold waits for the
    /// next round rather than vanishing from the rollups.
    /// </remarks>
    public async Task<int> DeleteResultsBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await FoldRollupsAsync(cancellationToken);
        var total = await DeleteInChunksAsync(
            """
            DELETE FROM check_results WHERE id IN (
                SELECT id FROM check_results
                WHERE started_at < @cutoff AND seq <= (SELECT folded_seq FROM rollup_watermark)
                LIMIT @chunk)
            """,
            cutoff,
            cancellationToken);

        // Their readers look at the last hour and the last day; kept for good, a thousand monitors would add
        // 1.7 million rows a day that nothing reads. The hours and days are what the charts and bars keep. A minute
        // not yet closed stays, however old: the coarser tables do not count it yet.
        await DeleteInChunksAsync(
            """
            DELETE FROM result_rollups_1min WHERE (minute, monitor_id) IN (
                SELECT minute, monitor_id FROM result_rollups_1min
                WHERE minute < @cutoff AND minute < (SELECT closed_minute FROM rollup_watermark) LIMIT @chunk)
            """,
            cutoff,
            cancellationToken);
        await DeleteInChunksAsync(
            """
            DELETE FROM result_rollups_5min WHERE (bucket, monitor_id) IN (
                SELECT bucket, monitor_id FROM result_rollups_5min WHERE bucket < @cutoff LIMIT @chunk)
            """,
            cutoff,
            cancellationToken);

        // A heartbeat is judged by the latest ping of each kind, and an smtp monitor by the latest probe that is due:
        // those stay however old (a monthly job's last ping is older than a week's retention), the rest go with the
        // results. A probe due before the cutoff goes only once a later one is due before it too: the latest due at
        // any time from now on is that one or a later one. A report of a probe never sent has no deadline.
        await DeleteInChunksAsync(
            """
            DELETE FROM heartbeat_pings WHERE id IN (
                SELECT p.id FROM heartbeat_pings p
                WHERE p.received_at < @cutoff AND p.received_at < (
                    SELECT MAX(q.received_at) FROM heartbeat_pings q WHERE q.monitor_id = p.monitor_id AND q.kind = p.kind)
                LIMIT @chunk)
            """,
            cutoff,
            cancellationToken);
        await DeleteInChunksAsync(
            """
            DELETE FROM mail_probes WHERE (monitor_id, token) IN (
                SELECT p.monitor_id, p.token FROM mail_probes p
                WHERE (p.due_at IS NULL AND p.delivered_at < @cutoff)
                    OR p.due_at < (SELECT MAX(q.due_at) FROM mail_probes q WHERE q.monitor_id = p.monitor_id AND q.due_at < @cutoff)
                LIMIT @chunk)
            """,
            cutoff,
            cancellationToken);

        // Bundles are few (one per outage and location), so finding those whose result is gone is cheap.
        using (await dialect.EnterWriterAsync(cancellationToken))
        {
            await using var connection = await dialect.OpenAsync(cancellationToken);
            await using var command = Command(
                connection,
                """
                DELETE FROM result_diagnostics
                WHERE NOT EXISTS (SELECT 1 FROM check_results r WHERE r.id = result_diagnostics.result_id)
                """);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return total;
    }

    /// <summary>
    /// Runs a delete of at most <c>@chunk</c> rows before <c>@cutoff</c> until it deletes fewer: each chunk holds the
    /// writer's turn briefly, so results keep being stored while years of rows go.
    /// </summary>
    /// <returns>How many rows were deleted.</returns>
    private async Task<int> DeleteInChunksAsync(string sql, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            int deleted;
            using (await dialect.EnterWriterAsync(cancellationToken))
            {
                await using var connection = await dialect.OpenAsync(cancellationToken);
                await using var command = Command(connection, sql, ("cutoff", StoredValues.UnixMs(cutoff)), ("chunk", DeleteChunk));
                deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            }

            total += deleted;
            if (deleted < DeleteChunk)
            {
                return total;
            }
        }
    }

    /// <remarks>
    /// A state is stored only when it changes in substance (<see cref="Monitoring.State.LocationStateMachine.Differs"/>);
    /// its last check and last result, which every result changes, are those of the latest result stored for its
    /// monitor and location, ties of started_at going to the one stored last. The monitor's index on started_at
    /// finds it within the last few rows, as a monitor's locations are checked in turn. With no result retained,
    /// the last check is the one stored with the state.
    /// </remarks>
    public async Task<IReadOnlyList<LocationState>> GetLocationStatesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            """
            SELECT s.monitor_id, s.location_id, s.status, s.status_since, s.consecutive_failures,
                s.failing_since, COALESCE(r.started_at, s.last_checked_at),
                r.id, r.monitor_id, r.location_id, r.started_at, r.duration_ms, r.outcome, r.error_kind, r.message,
                r.dns_ms, r.connect_ms, r.tls_ms, r.first_byte_ms
            FROM location_states s
            LEFT JOIN check_results r ON r.id = (
                SELECT latest.id FROM check_results latest
                WHERE latest.monitor_id = s.monitor_id AND latest.location_id = s.location_id
                ORDER BY latest.started_at DESC, latest.seq DESC
                LIMIT 1)
            ORDER BY s.monitor_id, s.location_id
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var states = new List<LocationState>();
        while (await reader.ReadAsync(cancellationToken))
        {
            states.Add(new LocationState(
                reader.GetString(0),
                reader.GetString(1),
                StoredValues.Parse<MonitorStatus>(reader.GetString(2)),
                StoredValues.FromUnixMs(reader.GetInt64(3)),
                reader.GetInt32(4),
                StoredValues.FromUnixMs(reader.GetNullableInt64(5)),
                StoredValues.FromUnixMs(reader.GetNullableInt64(6)),
                reader.IsDBNull(7) ? null : ReadResult(reader, 7)));
        }

        return states;
    }

    public async Task<IReadOnlyList<ComponentState>> GetComponentStatesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection, "SELECT component_id, status, since FROM component_states ORDER BY component_id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var states = new List<ComponentState>();
        while (await reader.ReadAsync(cancellationToken))
        {
            states.Add(new ComponentState(
                reader.GetString(0),
                StoredValues.Parse<ComponentStatus>(reader.GetString(1)),
                StoredValues.FromUnixMs(reader.GetInt64(2))));
        }

        return states;
    }

    public async Task<IReadOnlyList<ComponentStatusChange>> GetComponentHistoryAsync(
        string componentId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            """
            SELECT component_id, from_status, to_status, at FROM component_history
            WHERE component_id = @component_id AND at >= @from AND at < @to
            ORDER BY at, id
            """,
            ("component_id", componentId),
            ("from", StoredValues.UnixMs(from)),
            ("to", StoredValues.UnixMs(to)));
        return await ReadAllAsync(command, ReadChange, cancellationToken);
    }

    public async Task<IReadOnlyList<ComponentStatusChange>> GetComponentHistoryAsync(
        DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            """
            SELECT component_id, from_status, to_status, at FROM component_history
            WHERE at >= @from AND at < @to
            ORDER BY at, id
            """,
            ("from", StoredValues.UnixMs(from)),
            ("to", StoredValues.UnixMs(to)));
        return await ReadAllAsync(command, ReadChange, cancellationToken);
    }

    public async Task RecordPingAsync(HeartbeatPing ping, CancellationToken cancellationToken)
    {
        using var writer = await dialect.EnterWriterAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            """
            INSERT INTO heartbeat_pings (monitor_id, kind, received_at, source)
            VALUES (@monitor_id, @kind, @received_at, @source)
            """,
            ("monitor_id", ping.MonitorId),
            ("kind", StoredValues.Name(ping.Kind)),
            ("received_at", StoredValues.UnixMs(ping.ReceivedAt)),
            ("source", ping.Source));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<LatestPings> GetLatestPingsAsync(string monitorId, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            "SELECT kind, MAX(received_at) FROM heartbeat_pings WHERE monitor_id = @monitor_id GROUP BY kind",
            ("monitor_id", monitorId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var latest = new LatestPings(null, null, null);
        while (await reader.ReadAsync(cancellationToken))
        {
            var at = StoredValues.FromUnixMs(reader.GetInt64(1));
            latest = StoredValues.Parse<PingKind>(reader.GetString(0)) switch
            {
                PingKind.Success => latest with { Success = at },
                PingKind.Fail => latest with { Fail = at },
                PingKind.Start => latest with { Start = at },
                var kind => throw new InvalidDataException($"Unhandled ping kind {kind}."),
            };
        }

        return latest;
    }

    public async Task RecordMailProbeAsync(MailProbe probe, CancellationToken cancellationToken)
    {
        using var writer = await dialect.EnterWriterAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            """
            INSERT INTO mail_probes (monitor_id, token, sent_at, due_at, delivered_at)
            VALUES (@monitor_id, @token, @sent_at, @due_at, @delivered_at)
            ON CONFLICT (monitor_id, token) DO UPDATE SET sent_at = excluded.sent_at, due_at = excluded.due_at
            """,
            ("monitor_id", probe.MonitorId),
            ("token", probe.Token),
            ("sent_at", StoredValues.UnixMs(probe.SentAt)),
            ("due_at", StoredValues.UnixMs(probe.DueAt)),
            ("delivered_at", StoredValues.UnixMs(probe.DeliveredAt)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RecordMailProbeDeliveryAsync(
        string monitorId, string token, DateTimeOffset at, CancellationToken cancellationToken)
    {
        using var writer = await dialect.EnterWriterAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            """
            INSERT INTO mail_probes (monitor_id, token, delivered_at) VALUES (@monitor_id, @token, @delivered_at)
            ON CONFLICT (monitor_id, token) DO UPDATE
            SET delivered_at = COALESCE(mail_probes.delivered_at, excluded.delivered_at)
            """,
            ("monitor_id", monitorId),
            ("token", token),
            ("delivered_at", StoredValues.UnixMs(at)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<MailProbe?> GetLatestDueMailProbeAsync(
        string monitorId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            """
            SELECT token, sent_at, due_at, delivered_at FROM mail_probes
            WHERE monitor_id = @monitor_id AND due_at <= @now
            ORDER BY due_at DESC, sent_at DESC
            LIMIT 1
            """,
            ("monitor_id", monitorId),
            ("now", StoredValues.UnixMs(now)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new MailProbe(
            monitorId,
            reader.GetString(0),
            StoredValues.FromUnixMs(reader.GetInt64(1)),
            StoredValues.FromUnixMs(reader.GetInt64(2)),
            StoredValues.FromUnixMs(reader.GetNullableInt64(3)));
    }

    public async Task<IReadOnlyList<ComponentRecord>> SyncComponentsAsync(
        IReadOnlyList<string> componentIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = componentIds
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(componentId => new ComponentRecord(componentId, now))
            .ToList();

        using var writer = await dialect.EnterWriterAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await dialect.ExecuteEachAsync(transaction, InsertComponent, rows, cancellationToken);

        // Components are few, so reading them all back beats a per-dialect "IN (list)" query.
        IReadOnlyList<ComponentRecord> stored;
        await using (var command = Command(transaction, "SELECT id, created_at FROM components"))
        {
            stored = await ReadAllAsync(
                command, reader => new ComponentRecord(reader.GetString(0), StoredValues.FromUnixMs(reader.GetInt64(1))), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        var createdAt = stored.ToDictionary(record => record.ComponentId, record => record.CreatedAt, StringComparer.Ordinal);
        return componentIds.Select(componentId => new ComponentRecord(componentId, createdAt[componentId])).ToList();
    }

    public async Task<IReadOnlyList<Incident>> GetOpenIncidentsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            "SELECT " + IncidentRows.IncidentColumns + """
                 FROM incidents
                WHERE status IN (@investigating, @identified, @monitoring)
                ORDER BY created_at DESC, id DESC
                """,
            ("investigating", StoredValues.Name(IncidentStatus.Investigating)),
            ("identified", StoredValues.Name(IncidentStatus.Identified)),
            ("monitoring", StoredValues.Name(IncidentStatus.Monitoring)));
        return await ReadAllAsync(command, IncidentRows.ReadIncident, cancellationToken);
    }

    public async Task<IReadOnlyList<Incident>> GetRecentIncidentsAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            "SELECT " + IncidentRows.IncidentColumns + " FROM incidents ORDER BY created_at DESC, id DESC LIMIT @limit",
            ("limit", limit));
        return await ReadAllAsync(command, IncidentRows.ReadIncident, cancellationToken);
    }

    public async Task<Incident?> GetIncidentAsync(string incidentId, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection, "SELECT " + IncidentRows.IncidentColumns + " FROM incidents WHERE id = @id", ("id", incidentId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? IncidentRows.ReadIncident(reader) : null;
    }

    /// <remarks>Many events share an instant (opened, then a role assigned); seq keeps them in the order written.</remarks>
    public async Task<IReadOnlyList<IncidentEvent>> GetIncidentEventsAsync(string incidentId, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            "SELECT " + IncidentRows.EventColumns + " FROM incident_events WHERE incident_id = @incident_id ORDER BY at, seq",
            ("incident_id", incidentId));
        return await ReadAllAsync(command, IncidentRows.ReadEvent, cancellationToken);
    }

    public async Task SaveIncidentChangesAsync(IncidentChanges changes, CancellationToken cancellationToken)
    {
        if (changes.IsEmpty)
        {
            return;
        }

        using var writer = await dialect.EnterWriterAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await WriteIncidentChangesAsync(transaction, changes, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <remarks>Saving a token whose id is stored replaces it whole, as incidents are.</remarks>
    public async Task SaveApiTokenAsync(ApiToken token, CancellationToken cancellationToken)
    {
        using var writer = await dialect.EnterWriterAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            """
            INSERT INTO api_tokens (id, name, role, hash, created_at, revoked_at)
            VALUES (@id, @name, @role, @hash, @created_at, @revoked_at)
            ON CONFLICT (id) DO UPDATE SET
                name = excluded.name,
                role = excluded.role,
                hash = excluded.hash,
                created_at = excluded.created_at,
                revoked_at = excluded.revoked_at
            """,
            ("id", token.Id),
            ("name", token.Name),
            ("role", StoredValues.Name(token.Role)),
            ("hash", token.Hash),
            ("created_at", StoredValues.UnixMs(token.CreatedAt)),
            ("revoked_at", StoredValues.UnixMs(token.RevokedAt)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ApiToken?> FindApiTokenAsync(string hash, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection, "SELECT " + TokenColumns + " FROM api_tokens WHERE hash = @hash", ("hash", hash));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadToken(reader) : null;
    }

    public async Task<IReadOnlyList<ApiToken>> GetApiTokensAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT " + TokenColumns + " FROM api_tokens ORDER BY created_at, id");
        return await ReadAllAsync(command, ReadToken, cancellationToken);
    }

    /// <remarks>Names are not unique, so every live token of that name goes: none of them should keep working.</remarks>
    public async Task<bool> RevokeApiTokenAsync(string name, DateTimeOffset at, CancellationToken cancellationToken)
    {
        using var writer = await dialect.EnterWriterAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            "UPDATE api_tokens SET revoked_at = @at WHERE name = @name AND revoked_at IS NULL",
            ("at", StoredValues.UnixMs(at)),
            ("name", name));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        using var writer = await dialect.EnterWriterAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            """
            INSERT INTO audit_log (at, actor, method, route, status_code, incident_id)
            VALUES (@at, @actor, @method, @route, @status_code, @incident_id)
            """,
            ("at", StoredValues.UnixMs(entry.At)),
            ("actor", entry.Actor),
            ("method", entry.Method),
            ("route", entry.Route),
            ("status_code", entry.StatusCode),
            ("incident_id", entry.IncidentId));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> GetAuditAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            """
            SELECT at, actor, method, route, status_code, incident_id FROM audit_log
            ORDER BY at DESC, id DESC
            LIMIT @limit
            """,
            ("limit", limit));
        return await ReadAllAsync(
            command,
            reader => new AuditEntry(
                StoredValues.FromUnixMs(reader.GetInt64(0)),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetInt32(4),
                reader.GetNullableString(5)),
            cancellationToken);
    }

    public ValueTask DisposeAsync() => dialect.DisposeAsync();

    /// <summary>
    /// PostgreSQL text cannot hold NUL characters: a probe that quotes raw bytes from a service must not make its
    /// whole batch fail, so they are dropped, on both engines alike.
    /// </summary>
    private static CheckResult WithStorableMessage(CheckResult result) =>
        result.Message is { } message && message.Contains('\0', StringComparison.Ordinal)
            ? result with { Message = message.Replace("\0", "", StringComparison.Ordinal) }
            : result;

    /// <summary>
    /// Incidents are sorted so concurrent writers lock them in one order on PostgreSQL; of two versions of one
    /// incident the later wins. Events keep the order given, which is their timeline order within an instant.
    /// </summary>
    private async Task WriteIncidentChangesAsync(
        DbTransaction transaction, IncidentChanges changes, CancellationToken cancellationToken)
    {
        var incidents = changes.Incidents
            .GroupBy(incident => incident.Id, StringComparer.Ordinal)
            .Select(group => group.Last())
            .OrderBy(incident => incident.Id, StringComparer.Ordinal)
            .ToList();
        await dialect.ExecuteEachAsync(transaction, IncidentRows.Upsert, incidents, cancellationToken);
        await dialect.ExecuteEachAsync(transaction, IncidentRows.Append, changes.Events, cancellationToken);
        await FanOutAsync(transaction, changes, cancellationToken);
    }

    private static ApiToken ReadToken(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        StoredValues.Parse<ApiRole>(reader.GetString(2)),
        reader.GetString(3),
        StoredValues.FromUnixMs(reader.GetInt64(4)),
        StoredValues.FromUnixMs(reader.GetNullableInt64(5)));

    private static ComponentStatusChange ReadChange(DbDataReader reader) => new(
        reader.GetString(0),
        StoredValues.Parse<ComponentStatus>(reader.GetString(1)),
        StoredValues.Parse<ComponentStatus>(reader.GetString(2)),
        StoredValues.FromUnixMs(reader.GetInt64(3)));

    private static async Task<IReadOnlyList<T>> ReadAllAsync<T>(
        DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static MonitorRecord ReadMonitor(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        StoredValues.FromUnixMs(reader.GetInt64(2)),
        reader.GetNullableString(3));

    /// <summary>Reads the <see cref="SharedSql.ResultColumns"/> starting at <paramref name="first"/>.</summary>
    private CheckResult ReadResult(DbDataReader reader, int first) => new(
        dialect.ReadId(reader, first),
        reader.GetString(first + 1),
        reader.GetString(first + 2),
        StoredValues.FromUnixMs(reader.GetInt64(first + 3)),
        StoredValues.FromMs(reader.GetDouble(first + 4)),
        StoredValues.Parse<Outcome>(reader.GetString(first + 5)),
        reader.GetNullableString(first + 6) is { } errorKind ? StoredValues.Parse<ErrorKind>(errorKind) : null,
        reader.GetNullableString(first + 7),
        new PhaseTimings(
            FromMs(reader.GetNullableDouble(first + 8)),
            FromMs(reader.GetNullableDouble(first + 9)),
            FromMs(reader.GetNullableDouble(first + 10)),
            FromMs(reader.GetNullableDouble(first + 11))));

    private static TimeSpan? FromMs(double? value) => value is { } ms ? StoredValues.FromMs(ms) : null;

    private static async Task ExecuteAsync(
        DbTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(transaction, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> ScalarAsync(
        DbTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(transaction, sql, parameters);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static DbCommand Command(DbTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = Command(transaction.Connection!, sql, parameters);
        command.Transaction = transaction;
        return command;
    }

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private sealed record MonitorSyncRow(MonitorRegistration Monitor, long FirstSeenAt);
}
