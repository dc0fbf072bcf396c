-- Times are Unix milliseconds and durations milliseconds, as on PostgreSQL, so that every query is shared.
-- Result ids are 16-byte blobs in RFC 4122 (big-endian) order, so version 7 ids sort by time as on PostgreSQL.
-- STRICT makes SQLite refuse a value of the wrong type instead of storing it silently.
-- No foreign keys from results to monitors: ingest should not pay a lookup per row, and a monitor
-- dropped from the config keeps its history.

CREATE TABLE monitors (
    monitor_id      TEXT PRIMARY KEY,
    type            TEXT NOT NULL,
    first_seen_at   INTEGER NOT NULL,
    heartbeat_token TEXT UNIQUE
) STRICT;

CREATE TABLE check_results (
    id            BLOB NOT NULL PRIMARY KEY,
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

CREATE INDEX check_results_monitor_started ON check_results (monitor_id, started_at);

-- Retention deletes by age across all monitors.
CREATE INDEX check_results_started ON check_results (started_at);

CREATE TABLE result_rollups (
    monitor_id     TEXT NOT NULL,
    location_id    TEXT NOT NULL,
    minute         INTEGER NOT NULL,
    checks         INTEGER NOT NULL,
    failures       INTEGER NOT NULL,
    degraded       INTEGER NOT NULL,
    latency_sum_ms REAL NOT NULL,
    latency_max_ms REAL NOT NULL,
    PRIMARY KEY (monitor_id, location_id, minute)
) STRICT, WITHOUT ROWID;

-- last_result_id is not a foreign key: retention may delete that result while the state stays.
CREATE TABLE location_states (
    monitor_id           TEXT NOT NULL,
    location_id          TEXT NOT NULL,
    status               TEXT NOT NULL,
    status_since         INTEGER NOT NULL,
    consecutive_failures INTEGER NOT NULL,
    failing_since        INTEGER,
    last_checked_at      INTEGER,
    last_result_id       BLOB,
    PRIMARY KEY (monitor_id, location_id)
) STRICT;

CREATE TABLE component_states (
    component_id TEXT PRIMARY KEY,
    status       TEXT NOT NULL,
    since        INTEGER NOT NULL
) STRICT;

CREATE TABLE component_history (
    id           INTEGER PRIMARY KEY,
    component_id TEXT NOT NULL,
    from_status  TEXT NOT NULL,
    to_status    TEXT NOT NULL,
    at           INTEGER NOT NULL
) STRICT;

CREATE INDEX component_history_component_at ON component_history (component_id, at);

CREATE TABLE heartbeat_pings (
    id          INTEGER PRIMARY KEY,
    monitor_id  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    source      TEXT
) STRICT;

CREATE INDEX heartbeat_pings_monitor_kind_received ON heartbeat_pings (monitor_id, kind, received_at);
