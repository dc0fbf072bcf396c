-- The store folds the rollups from the results in bulk (SqlStore.FoldRollupsAsync) instead of counting them with
-- every batch, and a location's state is written only when it changes: its last check is read from the results.
-- Both need the results in the order they were stored, so the table is rebuilt around a sequence number. AUTOINCREMENT
-- makes sure a number is never handed out twice, even after retention has deleted the newest results: a reused
-- number at or below the watermark would never be folded. The existing rows keep their order (their rowid).
CREATE TABLE check_results_by_seq (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            BLOB NOT NULL UNIQUE,
    monitor_id    TEXT NOT NULL,
    location_id   TEXT NOT NULL,
    started_at    INTEGER NOT NULL,
    duration_ms   REAL NOT NULL,
    outcome       TEXT NOT NULL,
    error_kind    TEXT,
    message       TEXT,
    dns_ms        REAL,
    connect_ms    REAL,
    tls_ms        REAL,
    first_byte_ms REAL
) STRICT;

INSERT INTO check_results_by_seq (seq, id, monitor_id, location_id, started_at, duration_ms, outcome, error_kind,
    message, dns_ms, connect_ms, tls_ms, first_byte_ms)
SELECT rowid, id, monitor_id, location_id, started_at, duration_ms, outcome, error_kind,
    message, dns_ms, connect_ms, tls_ms, first_byte_ms
FROM check_results
ORDER BY rowid;

DROP TABLE check_results;

ALTER TABLE check_results_by_seq RENAME TO check_results;

-- Also finds the latest result of each monitor-location when states are loaded: the rowid (seq) that SQLite appends
-- to every index entry breaks ties of started_at in the order the results were stored.
CREATE INDEX check_results_monitor_started ON check_results (monitor_id, started_at);

CREATE INDEX check_results_started ON check_results (started_at);

-- The results up to folded_seq are counted in result_rollups and result_rollups_daily, and no later one is; the
-- existing rollups already count every result stored before this version.
CREATE TABLE rollup_watermark (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    folded_seq INTEGER NOT NULL
) STRICT;

INSERT INTO rollup_watermark (id, folded_seq) SELECT 1, COALESCE(MAX(seq), 0) FROM check_results;
