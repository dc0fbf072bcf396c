-- Subscribers, the components they follow, and the outbox of messages to them and to the responders' channels.
-- A subscriber with scope 'page' follows every component and has no rows in subscriber_components.

CREATE TABLE subscribers (
    id                 TEXT PRIMARY KEY,
    kind               TEXT NOT NULL,
    address            TEXT NOT NULL,
    scope              TEXT NOT NULL,
    secret             TEXT,
    token              TEXT NOT NULL UNIQUE,
    confirm_token      TEXT UNIQUE,
    confirm_expires_at INTEGER,
    confirmed_at       INTEGER,
    created_at         INTEGER NOT NULL,
    UNIQUE (kind, address)
) STRICT;

CREATE TABLE subscriber_components (
    subscriber_id TEXT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    component_id  TEXT NOT NULL,
    PRIMARY KEY (subscriber_id, component_id)
) STRICT;

CREATE INDEX subscriber_components_component ON subscriber_components (component_id);

-- One row per message and recipient, written in the transaction of the event that causes it. The unique key
-- makes a retried save add nothing. No foreign keys: a removed subscriber keeps its delivery history.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    event_id        TEXT NOT NULL,
    incident_id     TEXT,
    message         TEXT NOT NULL,
    recipient_kind  TEXT NOT NULL,
    recipient_id    TEXT NOT NULL,
    priority        INTEGER NOT NULL,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    lease_until     INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    UNIQUE (event_id, recipient_kind, recipient_id)
) STRICT;

CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_recipient ON outbox (recipient_kind, recipient_id);

ALTER TABLE incidents ADD COLUMN subscribers_notified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incident_events ADD COLUMN notify_subscribers INTEGER NOT NULL DEFAULT 0;
