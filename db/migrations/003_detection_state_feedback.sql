-- 003_detection_state_feedback: what anomaly detection keeps per series, and analysts' verdicts on anomalies.
--
-- detector_state: one row per series that detection has scored. last_scored_ts is the newest timestamp scored
-- (points at or before it are late: stored, not scored); it moves with every ingest transaction that scores
-- points. snapshot is the detector's whole state (IntentVision.Analytics SeriesAnomalyMonitor, binary, format
-- `version`) as of snapshot_ts, written every few thousand points and at shutdown; after a restart the API loads
-- it and silently replays the stored points in (snapshot_ts, last_scored_ts], so nothing fires twice and
-- nothing re-warms from zero. A row whose version the API does not know is rebuilt from stored history.
-- anomaly_feedback: at most one verdict per anomaly; a "not_anomaly" teaches that series' detection to leave
-- the same pattern unstored. series_id is kept for loading a series' verdicts without a scan.
-- The explanation of an anomaly (expected value, band, deviation, detector, seasonality, summary) is stored in
-- its existing context JSON.
--
-- Rollback (also in 003_detection_state_feedback.down.sql):
--   DROP TABLE IF EXISTS anomaly_feedback; DROP TABLE IF EXISTS detector_state;

CREATE TABLE IF NOT EXISTS detector_state (
    series_id       INTEGER PRIMARY KEY REFERENCES time_series (id) ON DELETE CASCADE,
    last_scored_ts  INTEGER,
    scored_points   INTEGER NOT NULL DEFAULT 0 CHECK (scored_points >= 0),
    snapshot        BLOB,
    snapshot_ts     INTEGER,
    version         INTEGER NOT NULL,
    updated_at      TEXT    NOT NULL,
    CHECK (snapshot IS NULL OR snapshot_ts IS NOT NULL)
);

CREATE TABLE IF NOT EXISTS anomaly_feedback (
    anomaly_id      INTEGER PRIMARY KEY REFERENCES anomalies (id) ON DELETE CASCADE,
    series_id       INTEGER NOT NULL REFERENCES time_series (id) ON DELETE CASCADE,
    verdict         TEXT    NOT NULL CHECK (verdict IN ('not_anomaly')),
    comment         TEXT    CHECK (comment IS NULL OR length(comment) <= 2000),
    given_by        TEXT    NOT NULL,
    given_at        TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS anomaly_feedback_series ON anomaly_feedback (series_id);
