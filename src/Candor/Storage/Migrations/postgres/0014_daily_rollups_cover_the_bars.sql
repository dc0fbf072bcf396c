-- The uptime bars read the checks, failures and degraded results of every monitor's days, by day then monitor. With
-- those counts in the key's index, PostgreSQL answers from the index alone, a few hundred pages in key order, instead of
-- visiting a heap page for each of the ninety thousand rows of a thousand monitors' ninety days; autovacuum marks the
-- pages of past days all-visible, which is what lets it skip the heap. The folds' upserts still find a day by its key.
ALTER TABLE result_rollups_daily
    DROP CONSTRAINT result_rollups_daily_pkey,
    ADD PRIMARY KEY (day, monitor_id) INCLUDE (checks, failures, degraded);
