-- One row per UTC day and monitor, its locations summed, kept in the same transaction as the minute rollups. The
-- 90-day uptime bars and the SLA tables read a hundred thousand of these rather than hundreds of millions of
-- minutes, without grouping them at read time. The day leads the key, so a range of days is one range of the
-- index, in the order the bars are drawn.
CREATE TABLE result_rollups_daily (
    day            bigint NOT NULL,
    monitor_id     text NOT NULL,
    checks         integer NOT NULL,
    failures       integer NOT NULL,
    degraded       integer NOT NULL,
    latency_sum_ms double precision NOT NULL,
    latency_max_ms double precision NOT NULL,
    PRIMARY KEY (day, monitor_id)
);

-- The days before this version, from the minutes kept for good; the day floors, as minutes do before 1970.
INSERT INTO result_rollups_daily (day, monitor_id, checks, failures, degraded, latency_sum_ms, latency_max_ms)
SELECT minute - (((minute % 86400000) + 86400000) % 86400000), monitor_id,
    SUM(checks), SUM(failures), SUM(degraded), SUM(latency_sum_ms), MAX(latency_max_ms)
FROM result_rollups
GROUP BY minute - (((minute % 86400000) + 86400000) % 86400000), monitor_id;
