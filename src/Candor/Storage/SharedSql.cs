namespace Candor.Storage;

/// <summary>SQL fragments that the bulk paths of both dialects build on, so the column lists exist once.</summary>
internal static class SharedSql
{
    public const string ResultColumns =
        "id, monitor_id, location_id, started_at, duration_ms, outcome, error_kind, message, dns_ms, connect_ms, tls_ms, first_byte_ms";

    public const string RollupColumns =
        "monitor_id, location_id, minute, checks, failures, degraded, latency_sum_ms, latency_max_ms";

    public const string DailyRollupColumns =
        "day, monitor_id, checks, failures, degraded, latency_sum_ms, latency_max_ms";

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
    /// The minutes of the results stored after one sequence number up to another, added to the stored minutes. One
    /// statement for any number of results: the engine groups them where they lie.
    /// </summary>
    public const string FoldMinutes =
        "INSERT INTO result_rollups (" + RollupColumns + ")\n"
        + "SELECT monitor_id, location_id, started_at - (((started_at % 60000) + 60000) % 60000),\n"
        + FoldedCounts
        + "GROUP BY monitor_id, location_id, started_at - (((started_at % 60000) + 60000) % 60000)\n"
        + RollupConflict;

    /// <summary>As <see cref="FoldMinutes"/>, for the days of each monitor, its locations summed.</summary>
    public const string FoldDays =
        "INSERT INTO result_rollups_daily (" + DailyRollupColumns + ")\n"
        + "SELECT started_at - (((started_at % 86400000) + 86400000) % 86400000), monitor_id,\n"
        + FoldedCounts
        + "GROUP BY started_at - (((started_at % 86400000) + 86400000) % 86400000), monitor_id\n"
        + DailyRollupConflict;

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

    /// <summary>Adds the new minute's counts to a stored one; written without GREATEST, which SQLite lacks.</summary>
    public const string RollupConflict = """
        ON CONFLICT (monitor_id, location_id, minute) DO UPDATE SET
            checks = result_rollups.checks + excluded.checks,
            failures = result_rollups.failures + excluded.failures,
            degraded = result_rollups.degraded + excluded.degraded,
            latency_sum_ms = result_rollups.latency_sum_ms + excluded.latency_sum_ms,
            latency_max_ms = CASE WHEN excluded.latency_max_ms > result_rollups.latency_max_ms
                THEN excluded.latency_max_ms ELSE result_rollups.latency_max_ms END
        """;

    /// <summary>As <see cref="RollupConflict"/>, for the day of a monitor.</summary>
    public const string DailyRollupConflict = """
        ON CONFLICT (day, monitor_id) DO UPDATE SET
            checks = result_rollups_daily.checks + excluded.checks,
            failures = result_rollups_daily.failures + excluded.failures,
            degraded = result_rollups_daily.degraded + excluded.degraded,
            latency_sum_ms = result_rollups_daily.latency_sum_ms + excluded.latency_sum_ms,
            latency_max_ms = CASE WHEN excluded.latency_max_ms > result_rollups_daily.latency_max_ms
                THEN excluded.latency_max_ms ELSE result_rollups_daily.latency_max_ms END
        """;
}
