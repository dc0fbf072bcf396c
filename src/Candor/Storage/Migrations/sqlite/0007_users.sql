-- People who sign in to the admin console. Only a password hash is stored, in a format that names its own
-- algorithm and parameters. The failure count and the lock-out live here, not in a process, so that every
-- replica refuses a locked account.
CREATE TABLE users (
    name            TEXT PRIMARY KEY,
    role            TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    failed_sign_ins INTEGER NOT NULL DEFAULT 0,
    locked_until    INTEGER,
    last_sign_in_at INTEGER
) STRICT;

-- The console's delivery log reads an incident's outbox rows.
CREATE INDEX outbox_incident ON outbox (incident_id, id);
