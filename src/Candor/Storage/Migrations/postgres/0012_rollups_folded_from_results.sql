-- The store folds the rollups from the results in bulk (SqlStore.FoldRollupsAsync) instead of counting them with
-- every batch, and a location's state is written only when it changes: its last check is read from the results.
-- Both need the results in the order they were stored. A sequence number is taken when a row is written, not when
-- it commits, so the fold locks out writers before it reads how far to go (PostgresDialect.BeginFoldAsync).
ALTER TABLE check_results ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;

CREATE UNIQUE INDEX check_results_seq ON check_results (seq);

-- The results up to folded_seq are counted in result_rollups and result_rollups_daily, and no later one is; the
-- existing rollups already count every result stored before this version.
CREATE TABLE rollup_watermark (
    id         integer PRIMARY KEY CHECK (id = 1),
    folded_seq bigint NOT NULL
);

INSERT INTO rollup_watermark (id, folded_seq) SELECT 1, COALESCE(MAX(seq), 0) FROM check_results;
