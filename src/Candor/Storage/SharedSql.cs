namespace Candor.Storage;

/// <summary>SQL fragments that the bulk paths of both dialects build on, so the column lists exist once.</summary>
internal static class SharedSql
{
    public const string ResultColumns =
        "id, monitor_id, location_id, started_at, duration_ms, outcome, error_kind, message, dns_ms, connect_ms, tls_ms, first_byte_ms";

    public const string LocationStateColumns =
        "monitor_id, location_id, status, status_since, consecutive_failures, failing_since, last_checked_at, last_result_id";

    /// <summary>The columns every rollup table has after its span, in the order its readers read them.</summary>
    public const string RollupCounts = "monitor_id, checks, failures, degraded, latency_sum_ms, latency_max_ms";

    public const string LocationStateConflict = """
        ON CONFLICT (monitor_id, location_id) DO UPDATE SET
            status = excluded.status,
            status_since = excluded.status_since,
            consecutive_failures = excluded.consecutive_failures,
            failing_since = excluded.failing_since,
            last_checked_at = excluded.last_checked_at,
            last_result_id = excluded.last_result_id
        """;

    /// <summary>The name under which <see cref="FoldIntoRollups"/> read <see cref="FoldedMinutes"/>.</summary>
    public const string Folded = "folded_minutes";

    /// <summary>
    /// The results stored after one sequence number up to another, counted by minute and monitor, its locations
    /// summed: what every rollup table is folded from, so that a fold reads the new results once, not once a table.
    /// </summary>
    public static readonly string FoldedMinutes = $"""
        SELECT {Floor("started_at", 60_000)} AS minute, monitor_id,
            COUNT(*) AS checks,
            SUM(CASE WHEN outcome = @down THEN 1 ELSE 0 END) AS failures,
            SUM(CASE WHEN outcome = @degraded THEN 1 ELSE 0 END) AS degraded,
            SUM(duration_ms) AS latency_sum_ms,
            MAX(duration_ms) AS latency_max_ms
        FROM check_results
        WHERE seq > @from AND seq <= @to
        GROUP BY {Floor("started_at", 60_000)}, monitor_id
        """;

    /// <summary>
    /// Adds <see cref="Folded"/> to each rollup table. The minutes from <c>@fresh</c> on, the minute after
    /// the latest one stored, cannot have a row yet, so they are inserted without looking for one: results are
    /// stored in about the order they start, so these are nearly all the minutes of a fold that catches up with many.
    /// The coarser tables sum the minutes, which divide them evenly.
    /// </summary>
    public static readonly IReadOnlyList<string> FoldIntoRollups =
    [
        $"""
        INSERT INTO result_rollups_1min (minute, {RollupCounts})
        SELECT minute, {RollupCounts} FROM {Folded} WHERE minute < @fresh
        {AddingToStored("result_rollups_1min", "minute, monitor_id")}
        """,
        $"""
        INSERT INTO result_rollups_1min (minute, {RollupCounts})
        SELECT minute, {RollupCounts} FROM {Folded} WHERE minute >= @fresh
        """,
        SumOfMinutes("result_rollups_5min", "bucket", 300_000),
        SumOfMinutes("result_rollups_hourly", "hour", 3_600_000),
        SumOfMinutes("result_rollups_daily", "day", 86_400_000),
    ];

    /// <summary>The start of the span of <paramref name="size"/> ms that holds <paramref name="time"/>, also before 1970.</summary>
    private static string Floor(string time, long size) => $"{time} - ((({time} % {size}) + {size}) % {size})";

    /// <summary>
    /// The folded minutes added to a table keyed by a span of <paramref name="size"/> ms and monitor. The WHERE that
    /// selects everything is there for SQLite, whose parser would otherwise read ON CONFLICT as a join's ON.
    /// </summary>
    private static string SumOfMinutes(string table, string span, long size) => $"""
        INSERT INTO {table} ({span}, {RollupCounts})
        SELECT {Floor("minute", size)}, monitor_id,
            SUM(checks), SUM(failures), SUM(degraded), SUM(latency_sum_ms), MAX(latency_max_ms)
        FROM {Folded} WHERE TRUE
        GROUP BY {Floor("minute", size)}, monitor_id
        {AddingToStored(table, span + ", monitor_id")}
        """;

    /// <summary>
    /// Adds the new counts of a rollup to the stored ones, where <paramref name="table"/> already has a row of the
    /// same <paramref name="key"/>; written without GREATEST, which SQLite lacks.
    /// </summary>
    private static string AddingToStored(string table, string key) => $"""
        ON CONFLICT ({key}) DO UPDATE SET
            checks = {table}.checks + excluded.checks,
            failures = {table}.failures + excluded.failures,
            degraded = {table}.degraded + excluded.degraded,
            latency_sum_ms = {table}.latency_sum_ms + excluded.latency_sum_ms,
            latency_max_ms = CASE WHEN excluded.latency_max_ms > {table}.latency_max_ms
                THEN excluded.latency_max_ms ELSE {table}.latency_max_ms END
        """;
}
