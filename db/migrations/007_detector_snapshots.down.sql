-- Rollback of 007_detector_snapshots: detector_state of 003, with each series' snapshot back in its row.
CREATE TABLE IF NOT EXISTS detector_state_006 (
    series_id       INTEGER PRIMARY KEY REFERENCES time_series (id) ON DELETE CASCADE,
    last_scored_ts  INTEGER,
    scored_points   INTEGER NOT NULL DEFAULT 0 CHECK (scored_points >= 0),
    snapshot        BLOB,
    snapshot_ts     INTEGER,
    version         INTEGER NOT NULL,
    updated_at      TEXT    NOT NULL,
    CHECK (snapshot IS NULL OR snapshot_ts IS NOT NULL)
);

INSERT INTO detector_state_006 (series_id, last_scored_ts, scored_points, snapshot, snapshot_ts, version, updated_at)
SELECT d.series_id, d.last_scored_ts, d.scored_points, s.snapshot, s.snapshot_ts, coalesce(s.version, 0), d.updated_at
FROM detector_state d LEFT JOIN detector_snapshots s ON s.series_id = d.series_id;

DROP TABLE detector_state;
ALTER TABLE detector_state_006 RENAME TO detector_state;
DROP TABLE detector_snapshots;
