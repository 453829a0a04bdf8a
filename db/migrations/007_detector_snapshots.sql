-- 007_detector_snapshots: detection's snapshots in a table of their own, apart from the progress every ingest moves.
--
-- detector_state held both: the progress (last_scored_ts, scored_points), updated in every ingest transaction that
-- scores a series, and the full snapshot, a 50-150 KB blob written every SnapshotEvery points. SQLite writes a whole
-- row on UPDATE, so moving a series' progress also read and re-assembled its snapshot's overflow pages: about 60 us a
-- series per transaction on the file, on the single writer's serial path, where it cost ingest with detection on about
-- a tenth of its throughput. Now detector_state is the small progress row and detector_snapshots the blob, written
-- only when a snapshot is taken. `version` (the snapshot's format) moves with the snapshot; a series' progress has no
-- format. Both rows of a series still change in the ingest transaction that scored its points.
--
-- Existing snapshots are copied, then detector_state is rebuilt without the snapshot columns (a CHECK names both,
-- so they cannot be dropped in place), all in the migrator's one transaction.
--
-- Rollback (also in 007_detector_snapshots.down.sql): rebuild detector_state with snapshot, snapshot_ts and version,
-- filled from detector_snapshots (version 0 where a series has no snapshot; a snapshot without a progress row, which
-- the API never writes, is dropped), then drop detector_snapshots.

CREATE TABLE IF NOT EXISTS detector_snapshots (
    series_id   INTEGER PRIMARY KEY REFERENCES time_series (id) ON DELETE CASCADE,
    snapshot    BLOB    NOT NULL,
    snapshot_ts INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    updated_at  TEXT    NOT NULL
);

INSERT INTO detector_snapshots (series_id, snapshot, snapshot_ts, version, updated_at)
SELECT series_id, snapshot, snapshot_ts, version, updated_at FROM detector_state WHERE snapshot IS NOT NULL
ON CONFLICT (series_id) DO NOTHING;

CREATE TABLE IF NOT EXISTS detector_state_007 (
    series_id       INTEGER PRIMARY KEY REFERENCES time_series (id) ON DELETE CASCADE,
    last_scored_ts  INTEGER,
    scored_points   INTEGER NOT NULL DEFAULT 0 CHECK (scored_points >= 0),
    updated_at      TEXT    NOT NULL
);

INSERT INTO detector_state_007 (series_id, last_scored_ts, scored_points, updated_at)
SELECT series_id, last_scored_ts, scored_points, updated_at FROM detector_state;

DROP TABLE detector_state;
ALTER TABLE detector_state_007 RENAME TO detector_state;
