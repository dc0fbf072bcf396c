-- One row per UTC hour and monitor, its locations summed, folded with the minutes and the days. The status pages keep
-- the hours of the uptime bars' 90 days, for the week's and the month's charts and for the checks of each day in the
-- page's time zone (which days in UTC cannot give). Read from the minutes, that was every minute of every monitor
-- for 90 days at every start: hundreds of millions of rows for a thousand monitors.
CREATE TABLE result_rollups_hourly (
    hour           bigint NOT NULL,
    monitor_id     text NOT NULL,
    checks         integer NOT NULL,
    failures       integer NOT NULL,
    degraded       integer NOT NULL,
    latency_sum_ms double precision NOT NULL,
    latency_max_ms double precision NOT NULL,
    PRIMARY KEY (hour, monitor_id)
);

-- The hours before this version, from the minutes, which count every result up to the watermark and no later one.
INSERT INTO result_rollups_hourly (hour, monitor_id, checks, failures, degraded, latency_sum_ms, latency_max_ms)
SELECT minute - (((minute % 3600000) + 3600000) % 3600000), monitor_id,
    SUM(checks), SUM(failures), SUM(degraded), SUM(latency_sum_ms), MAX(latency_max_ms)
FROM result_rollups
GROUP BY minute - (((minute % 3600000) + 3600000) % 3600000), monitor_id;
