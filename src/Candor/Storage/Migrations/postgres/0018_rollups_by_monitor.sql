-- A component's page reads the response times of its own monitors when it is rendered, the last day of five minutes
-- and the last month of hours, rather than the server keeping every monitor's in memory (about 50 KB a monitor once
-- 90 days were kept, 5 GB for 100,000). Keyed by time first, the tables gave a few monitors' rows only by reading
-- every monitor's in the range.
CREATE INDEX result_rollups_5min_by_monitor ON result_rollups_5min (monitor_id, bucket);
CREATE INDEX result_rollups_hourly_by_monitor ON result_rollups_hourly (monitor_id, hour);
