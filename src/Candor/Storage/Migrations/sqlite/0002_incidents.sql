-- Lists, the roles map and affected components are JSON text: they are only ever read whole with their row.
-- Booleans are 0 or 1.

CREATE TABLE components (
    id         TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE incidents (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    status            TEXT NOT NULL,
    impact            TEXT NOT NULL,
    impact_overridden INTEGER NOT NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    started_at        INTEGER NOT NULL,
    monitoring_at     INTEGER,
    resolved_at       INTEGER,
    automatic         INTEGER NOT NULL,
    component_ids     TEXT NOT NULL,
    monitor_ids       TEXT NOT NULL,
    impact_start      INTEGER,
    impact_end        INTEGER,
    verifying_since   INTEGER,
    customer_action   TEXT,
    roles             TEXT NOT NULL
) STRICT;

CREATE INDEX incidents_created ON incidents (created_at);

-- seq orders events that share a timestamp by insertion. No foreign key to incidents: a bad event must not
-- make the result batch it travels in fail on every retry.
CREATE TABLE incident_events (
    seq                   INTEGER PRIMARY KEY,
    id                    TEXT NOT NULL UNIQUE,
    incident_id           TEXT NOT NULL,
    kind                  TEXT NOT NULL,
    at                    INTEGER NOT NULL,
    status                TEXT NOT NULL,
    body                  TEXT NOT NULL,
    customer_action       TEXT,
    actor                 TEXT NOT NULL,
    public                INTEGER NOT NULL,
    deliver_notifications INTEGER NOT NULL,
    affected_components   TEXT,
    evidence              TEXT
) STRICT;

CREATE INDEX incident_events_incident_at ON incident_events (incident_id, at);

-- hash is a SHA-256 of the secret; the secret itself is never stored.
CREATE TABLE api_tokens (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
) STRICT;

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    method      TEXT NOT NULL,
    route       TEXT NOT NULL,
    status_code INTEGER NOT NULL,
    incident_id TEXT
) STRICT;

CREATE INDEX audit_log_at ON audit_log (at);
