-- A diagnostic bundle is JSON text, only ever read whole. result_id is not a foreign key: the bundle is written
-- after its result, by a worker that does not hold the result's transaction; retention deletes both.

CREATE TABLE result_diagnostics (
    result_id BLOB NOT NULL PRIMARY KEY,
    bundle    TEXT NOT NULL
) STRICT;
