-- Lists, the roles map and affected components are JSON text: they are only ever read whole with their row.

CREATE TABLE components (
    id         text PRIMARY KEY,
    created_at bigint NOT NULL
);

CREATE TABLE incidents (
    id                text PRIMARY KEY,
    name              text NOT NULL,
    status            text NOT NULL,
    impact            text NOT NULL,
    impact_overridden boolean NOT NULL,
    created_at        bigint NOT NULL,
    updated_at        bigint NOT NULL,
    started_at        bigint NOT NULL,
    monitoring_at     bigint,
    resolved_at       bigint,
    automatic         boolean NOT NULL,
    component_ids     text NOT NULL,
    monitor_ids       text NOT NULL,
    impact_start      bigint,
    impact_end        bigint,
    verifying_since   bigint,
    customer_action   text,
    roles             text NOT NULL
);

CREATE INDEX incidents_created ON incidents (created_at);

-- seq orders events that share a timestamp by insertion. No foreign key to incidents: a bad event must not
-- make the result batch it travels in fail on every retry.
CREATE TABLE incident_events (
    seq                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                    text NOT NULL UNIQUE,
    incident_id           text NOT NULL,
    kind                  text NOT NULL,
    at                    bigint NOT NULL,
    status                text NOT NULL,
    body                  text NOT NULL,
    customer_action       text,
    actor                 text NOT NULL,
    public                boolean NOT NULL,
    deliver_notifications boolean NOT NULL,
    affected_components   text,
    evidence              text
);

CREATE INDEX incident_events_incident_at ON incident_events (incident_id, at);

-- hash is a SHA-256 of the secret; the secret itself is never stored.
CREATE TABLE api_tokens (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    role       text NOT NULL,
    hash       text NOT NULL UNIQUE,
    created_at bigint NOT NULL,
    revoked_at bigint
);

CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          bigint NOT NULL,
    actor       text NOT NULL,
    method      text NOT NULL,
    route       text NOT NULL,
    status_code integer NOT NULL,
    incident_id text
);

CREATE INDEX audit_log_at ON audit_log (at);
