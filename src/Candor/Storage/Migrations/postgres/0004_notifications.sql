-- Subscribers, the components they follow, and the outbox of messages to them and to the responders' channels.
-- A subscriber with scope 'page' follows every component and has no rows in subscriber_components.

CREATE TABLE subscribers (
    id                 text PRIMARY KEY,
    kind               text NOT NULL,
    address            text NOT NULL,
    scope              text NOT NULL,
    secret             text,
    token              text NOT NULL UNIQUE,
    confirm_token      text UNIQUE,
    confirm_expires_at bigint,
    confirmed_at       bigint,
    created_at         bigint NOT NULL,
    UNIQUE (kind, address)
);

CREATE TABLE subscriber_components (
    subscriber_id text NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    component_id  text NOT NULL,
    PRIMARY KEY (subscriber_id, component_id)
);

CREATE INDEX subscriber_components_component ON subscriber_components (component_id);

-- One row per message and recipient, written in the transaction of the event that causes it. The unique key
-- makes a retried save add nothing. No foreign keys: a removed subscriber keeps its delivery history.
CREATE TABLE outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        text NOT NULL,
    incident_id     text,
    message         text NOT NULL,
    recipient_kind  text NOT NULL,
    recipient_id    text NOT NULL,
    priority        integer NOT NULL,
    state           text NOT NULL,
    attempts        integer NOT NULL,
    next_attempt_at bigint NOT NULL,
    lease_until     bigint,
    last_error      text,
    created_at      bigint NOT NULL,
    sent_at         bigint,
    UNIQUE (event_id, recipient_kind, recipient_id)
);

CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_recipient ON outbox (recipient_kind, recipient_id);

ALTER TABLE incidents ADD COLUMN subscribers_notified boolean NOT NULL DEFAULT false;
ALTER TABLE incident_events ADD COLUMN notify_subscribers boolean NOT NULL DEFAULT false;
