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
