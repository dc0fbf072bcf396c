-- One row per five minutes and monitor, its locations summed, folded with the minutes, hours and days. The status
-- pages keep the last day of them for the day's chart and read again, at every build, the span a late result may
-- still change: from the minutes of three locations that was fifteen times the rows, about 300,000 for a thousand
-- monitors, read every 30 seconds.
CREATE TABLE result_rollups_5min (
    bucket         bigint NOT NULL,
    monitor_id     text NOT NULL,
    checks         integer NOT NULL,
    failures       integer NOT NULL,
    degraded       integer NOT NULL,
    latency_sum_ms double precision NOT NULL,
    latency_max_ms double precision NOT NULL,
    PRIMARY KEY (bucket, monitor_id)
);

-- The five minutes before this version, from the minutes, which count every result up to the watermark and no later one.
INSERT INTO result_rollups_5min (bucket, monitor_id, checks, failures, degraded, latency_sum_ms, latency_max_ms)
SELECT minute - (((minute % 300000) + 300000) % 300000), monitor_id,
    SUM(checks), SUM(failures), SUM(degraded), SUM(latency_sum_ms), MAX(latency_max_ms)
FROM result_rollups
GROUP BY minute - (((minute % 300000) + 300000) % 300000), monitor_id;
