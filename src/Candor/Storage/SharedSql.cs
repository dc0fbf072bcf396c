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

    // Declared before the statements built from them: static fields are set in the order they are written.
    public static readonly CoarseTable FiveMinutes = new("result_rollups_5min", "bucket", 300_000);
    public static readonly CoarseTable Hours = new("result_rollups_hourly", "hour", 3_600_000);
    public static readonly CoarseTable Days = new("result_rollups_daily", "day", 86_400_000);

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
    /// Adds <see cref="Folded"/> to the minutes, and to the coarser tables only the minutes already closed, before
    /// <c>@closed</c>: a late result, which <see cref="CloseMinutes"/> has passed by. The minutes from <c>@fresh</c>
    /// on, the minute after the latest one stored, cannot have a row yet, so they are inserted without looking for one:
    /// results are stored in about the order they start, so these are nearly all the minutes of a fold that catches up
    /// with many. The coarser tables sum the minutes, which divide them evenly.
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
        .. Coarse.Select(table => SumOfMinutes(table, Folded, "minute < @closed")),
    ];

    /// <summary>
    /// Adds the stored minutes from <c>@closed</c> up to <c>@until</c> to the coarser tables and moves the watermark
    /// to <c>@until</c>: each monitor's five minutes, hour and day are written once for the minutes closed together,
    /// however many results and folds they had, rather than once a result.
    /// </summary>
    public static readonly string CloseMinutes = string.Concat(
        Coarse.Select(table => SumOfMinutes(table, "result_rollups_1min", "minute >= @closed AND minute < @until") + ";\n"))
        + "UPDATE rollup_watermark SET closed_minute = @until";

    /// <summary>
    /// The minutes that only <c>result_rollups_1min</c> counts yet: what the readers of the coarser tables add. The
    /// watermark is read in the statement, so that a fold committed since <c>@closed</c> was read is seen whole.
    /// <c>@closed</c>, which the watermark never falls below, gives the planner a bound it can weigh against the
    /// minute's statistics when it plans, where the subquery's is known only when the statement runs.
    /// </summary>
    public const string OpenMinutes = "minute >= @closed AND minute >= (SELECT closed_minute FROM rollup_watermark)";

    /// <summary>The start of the span of <paramref name="size"/> ms that holds <paramref name="time"/>, also before 1970.</summary>
    public static string Floor(string time, long size) => $"{time} - ((({time} % {size}) + {size}) % {size})";

    /// <summary>
    /// The minutes of <paramref name="source"/> that match <paramref name="filter"/> added to a coarser table.
    /// The WHERE is also there for SQLite, whose parser would otherwise read ON CONFLICT as a join's ON.
    /// </summary>
    private static string SumOfMinutes(CoarseTable table, string source, string filter) => $"""
        INSERT INTO {table.Name} ({table.Span}, {RollupCounts})
        SELECT {Floor("minute", table.Size)}, monitor_id,
            SUM(checks), SUM(failures), SUM(degraded), SUM(latency_sum_ms), MAX(latency_max_ms)
        FROM {source} WHERE {filter}
        GROUP BY {Floor("minute", table.Size)}, monitor_id
        {AddingToStored(table.Name, table.Span + ", monitor_id")}
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

    /// <summary>The tables of spans coarser than a minute, each summed from the minutes.</summary>
    private static IEnumerable<CoarseTable> Coarse => [FiveMinutes, Hours, Days];
}

/// <summary>A rollup table of spans of <paramref name="Size"/> ms, keyed by the span's start in <paramref name="Span"/> and the monitor.</summary>
internal sealed record CoarseTable(string Name, string Span, long Size);
