-- One row per minute and monitor, its locations summed, as the five minutes, hours and days are. The minutes of each
-- location had one reader, the console's response-time sparkline, which summed the locations; kept apart, a monitor
-- checked once a minute from three locations had a row of rollup for each result it stored, written at every fold.
-- Keyed by the minute first, a fold of new results appends, and the latest minute, which the fold looks up, is found
-- in the key rather than in a second index.
CREATE TABLE result_rollups_1min (
    minute         INTEGER NOT NULL,
    monitor_id     TEXT NOT NULL,
    checks         INTEGER NOT NULL,
    failures       INTEGER NOT NULL,
    degraded       INTEGER NOT NULL,
    latency_sum_ms REAL NOT NULL,
    latency_max_ms REAL NOT NULL,
    PRIMARY KEY (minute, monitor_id)
) STRICT, WITHOUT ROWID;

INSERT INTO result_rollups_1min (minute, monitor_id, checks, failures, degraded, latency_sum_ms, latency_max_ms)
SELECT minute, monitor_id, SUM(checks), SUM(failures), SUM(degraded), SUM(latency_sum_ms), MAX(latency_max_ms)
FROM result_rollups
GROUP BY minute, monitor_id;

DROP TABLE result_rollups;
