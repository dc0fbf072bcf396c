-- The maintenance a failed-maintenance incident was opened for (its suspected cause).
ALTER TABLE incidents ADD COLUMN maintenance_id TEXT;

-- A window is read and written whole, so its record is a JSON document; the columns beside it are what
-- queries select and order by.
CREATE TABLE maintenance_windows (
    id            TEXT PRIMARY KEY,
    state         TEXT NOT NULL,
    scheduled_for INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    document      TEXT NOT NULL
) STRICT;

CREATE INDEX maintenance_windows_state ON maintenance_windows (state, scheduled_for);

CREATE TABLE maintenance_events (
    seq       INTEGER PRIMARY KEY,
    id        TEXT NOT NULL UNIQUE,
    window_id TEXT NOT NULL,
    at        INTEGER NOT NULL,
    document  TEXT NOT NULL
) STRICT;

CREATE INDEX maintenance_events_window ON maintenance_events (window_id, at);
