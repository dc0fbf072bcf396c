-- People who sign in to the admin console. Only a password hash is stored, in a format that names its own
-- algorithm and parameters. The failure count and the lock-out live here, not in a process, so that every
-- replica refuses a locked account.
CREATE TABLE users (
    name            text PRIMARY KEY,
    role            text NOT NULL,
    password_hash   text NOT NULL,
    created_at      bigint NOT NULL,
    failed_sign_ins integer NOT NULL DEFAULT 0,
    locked_until    bigint,
    last_sign_in_at bigint
);

-- The console's delivery log reads an incident's outbox rows.
CREATE INDEX outbox_incident ON outbox (incident_id, id);
