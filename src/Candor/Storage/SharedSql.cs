namespace Candor.Storage;

/// <summary>SQL fragments that the bulk paths of both dialects build on, so the column lists exist once.</summary>
internal static class SharedSql
{
    public const string ResultColumns =
        "id, monitor_id, location_id, started_at, duration_ms, outcome, error_kind, message, dns_ms, connect_ms, tls_ms, first_byte_ms";

    public const string LocationStateColumns =
        "monitor_id, location_id, status, status_since, consecutive_failures, failing_since, last_checked_at, last_result_id";

    public const string LocationStateConflict = """
        ON CONFLICT (monitor_id, location_id) DO UPDATE SET
            status = excluded.status,
            status_since = excluded.status_since,
            consecutive_failures = excluded.consecutive_failures,
            failing_since = excluded.failing_since,
            last_checked_at = excluded.last_checked_at,
            last_result_id = excluded.last_result_id
        """;

    /// <summary>
    /// The minutes of each monitor, its locations summed, of the results stored after one sequence number up to
    /// another that may already have a row (those that start before <c>@fresh</c>), added to the stored minutes. One
    /// statement for any number of results: the engine groups them where they lie.
    /// </summary>
    public static readonly string FoldMinutes =
        FoldByMonitor("result_rollups_1min", "minute", 60_000, "AND started_at < @fresh\n", addingToStored: true);

    /// <summary>
    /// As <see cref="FoldMinutes"/>, for the results from <c>@fresh</c> on, the minute after the latest one stored:
    /// no row can hold their minutes yet, so they are inserted without looking for one. Results are stored in about
    /// the order they start, so these are nearly all the minutes of a fold that catches up with many results.
    /// </summary>
    public static readonly string FoldNewMinutes =
        FoldByMonitor("result_rollups_1min", "minute", 60_000, "AND started_at >= @fresh\n", addingToStored: false);

    /// <summary>As <see cref="FoldMinutes"/>, for the days of each monitor, all results of the range.</summary>
    public static readonly string FoldDays = FoldByMonitor("result_rollups_daily", "day", 86_400_000);

    /// <summary>As <see cref="FoldMinutes"/>, for the hours of each monitor, all results of the range.</summary>
    public static readonly string FoldHours = FoldByMonitor("result_rollups_hourly", "hour", 3_600_000);

    /// <summary>As <see cref="FoldMinutes"/>, for the five minutes of each monitor, all results of the range.</summary>
    public static readonly string FoldFiveMinutes = FoldByMonitor("result_rollups_5min", "bucket", 300_000);

    /// <summary>The counts a rollup keeps, over the results stored after <c>@from</c> up to <c>@to</c>.</summary>
    private const string FoldedCounts = """
        COUNT(*),
        SUM(CASE WHEN outcome = @down THEN 1 ELSE 0 END),
        SUM(CASE WHEN outcome = @degraded THEN 1 ELSE 0 END),
        SUM(duration_ms),
        MAX(duration_ms)
        FROM check_results
        WHERE seq > @from AND seq <= @to

        """;

    /// <summary>
    /// The fold into a table keyed by a span of <paramref name="size"/> ms (its start floored toward the past, also
    /// before 1970) and monitor, of the results that also meet <paramref name="alsoWhere"/>.
    /// </summary>
    private static string FoldByMonitor(string table, string span, long size, string alsoWhere = "", bool addingToStored = true) =>
        $"INSERT INTO {table} ({span}, monitor_id, checks, failures, degraded, latency_sum_ms, latency_max_ms)\n"
        + $"SELECT started_at - (((started_at % {size}) + {size}) % {size}), monitor_id,\n"
        + FoldedCounts
        + alsoWhere
        + $"GROUP BY started_at - (((started_at % {size}) + {size}) % {size}), monitor_id\n"
        + (addingToStored ? AddingToStored(table, $"{span}, monitor_id") : "");

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
