-- Times are Unix milliseconds and durations milliseconds, as on SQLite, so that every query is shared.
-- No foreign keys from results to monitors: ingest should not pay a lookup per row, and a monitor
-- dropped from the config keeps its history.

CREATE TABLE monitors (
    monitor_id      text PRIMARY KEY,
    type            text NOT NULL,
    first_seen_at   bigint NOT NULL,
    heartbeat_token text UNIQUE
);

CREATE TABLE check_results (
    id            uuid PRIMARY KEY,
    monitor_id    text NOT NULL,
    location_id   text NOT NULL,
    started_at    bigint NOT NULL,
    duration_ms   double precision NOT NULL,
    outcome       text NOT NULL,
    error_kind    text,
    message       text,
    dns_ms        double precision,
    connect_ms    double precision,
    tls_ms        double precision,
    first_byte_ms double precision
);

CREATE INDEX check_results_monitor_started ON check_results (monitor_id, started_at);

-- Retention deletes by age across all monitors.
CREATE INDEX check_results_started ON check_results (started_at);

CREATE TABLE result_rollups (
    monitor_id     text NOT NULL,
    location_id    text NOT NULL,
    minute         bigint NOT NULL,
    checks         integer NOT NULL,
    failures       integer NOT NULL,
    degraded       integer NOT NULL,
    latency_sum_ms double precision NOT NULL,
    latency_max_ms double precision NOT NULL,
    PRIMARY KEY (monitor_id, location_id, minute)
);

-- last_result_id is not a foreign key: retention may delete that result while the state stays.
CREATE TABLE location_states (
    monitor_id           text NOT NULL,
    location_id          text NOT NULL,
    status               text NOT NULL,
    status_since         bigint NOT NULL,
    consecutive_failures integer NOT NULL,
    failing_since        bigint,
    last_checked_at      bigint,
    last_result_id       uuid,
    PRIMARY KEY (monitor_id, location_id)
);

CREATE TABLE component_states (
    component_id text PRIMARY KEY,
    status       text NOT NULL,
    since        bigint NOT NULL
);

CREATE TABLE component_history (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    component_id text NOT NULL,
    from_status  text NOT NULL,
    to_status    text NOT NULL,
    at           bigint NOT NULL
);

CREATE INDEX component_history_component_at ON component_history (component_id, at);

CREATE TABLE heartbeat_pings (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    monitor_id  text NOT NULL,
    kind        text NOT NULL,
    received_at bigint NOT NULL,
    source      text
);

CREATE INDEX heartbeat_pings_monitor_kind_received ON heartbeat_pings (monitor_id, kind, received_at);
