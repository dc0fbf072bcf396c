-- One row per minute and monitor, its locations summed, as the five minutes, hours and days are. The minutes of each
-- location had one reader, the console's response-time sparkline, which summed the locations; kept apart, a monitor
-- checked once a minute from three locations had a row of rollup for each result it stored, written at every fold.
-- Keyed by the minute first, a fold of new results appends, and the latest minute, which the fold looks up, is found
-- in the key rather than in a second index.
CREATE TABLE result_rollups_1min (
    minute         bigint NOT NULL,
    monitor_id     text NOT NULL,
    checks         integer NOT NULL,
    failures       integer NOT NULL,
    degraded       integer NOT NULL,
    latency_sum_ms double precision NOT NULL,
    latency_max_ms double precision NOT NULL,
    PRIMARY KEY (minute, monitor_id)
);

INSERT INTO result_rollups_1min (minute, monitor_id, checks, failures, degraded, latency_sum_ms, latency_max_ms)
SELECT minute, monitor_id, SUM(checks), SUM(failures), SUM(degraded), SUM(latency_sum_ms), MAX(latency_max_ms)
FROM result_rollups
GROUP BY minute, monitor_id;

DROP TABLE result_rollups;
