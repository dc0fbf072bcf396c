-- The status pages read the minutes of every monitor since their last refresh, and the status changes of every
-- component over the uptime bars' days, in one query each; without these, each would scan every row kept.
CREATE INDEX result_rollups_minute ON result_rollups (minute);

CREATE INDEX component_history_at ON component_history (at);
