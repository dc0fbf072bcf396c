-- The five minutes, hours and days were rewritten for every monitor at every fold, as often as the minutes were, and
-- most of a fold's writes went to them. They now take each minute once it is closed, from result_rollups_1min; a
-- result of a minute already closed is still added to them directly. Their readers add the minutes from
-- closed_minute on, which only result_rollups_1min counts yet. Every minute stored so far is in them already.
ALTER TABLE rollup_watermark ADD COLUMN closed_minute INTEGER NOT NULL DEFAULT 0;

-- A store whose minutes are all gone still has days: a result before their end goes to them directly.
UPDATE rollup_watermark SET closed_minute = COALESCE(
    (SELECT MAX(minute) FROM result_rollups_1min) + 60000,
    (SELECT MAX(day) FROM result_rollups_daily) + 86400000,
    0);
