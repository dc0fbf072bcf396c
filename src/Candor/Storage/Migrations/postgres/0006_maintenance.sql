-- The maintenance a failed-maintenance incident was opened for (its suspected cause).
ALTER TABLE incidents ADD COLUMN maintenance_id text;

-- A window is read and written whole, so its record is a JSON document; the columns beside it are what
-- queries select and order by.
CREATE TABLE maintenance_windows (
    id            text PRIMARY KEY,
    state         text NOT NULL,
    scheduled_for bigint NOT NULL,
    created_at    bigint NOT NULL,
    document      text NOT NULL
);

CREATE INDEX maintenance_windows_state ON maintenance_windows (state, scheduled_for);

CREATE TABLE maintenance_events (
    seq       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id        text NOT NULL UNIQUE,
    window_id text NOT NULL,
    at        bigint NOT NULL,
    document  text NOT NULL
);

CREATE INDEX maintenance_events_window ON maintenance_events (window_id, at);
