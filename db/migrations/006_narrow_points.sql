-- 006_narrow_points: points stored as (series_id, ts, value) clustered on (series_id, ts); per-organization retention.
--
-- Before, every point repeated its organization, metric key, dimensions JSON, source and an ISO ingested_at beside a
-- rowid, with two indexes on top: about 147 bytes a point on the file. Now the series' identity lives once in
-- time_series, and the table IS its key: WITHOUT ROWID, so the (series_id, ts) b-tree holds the value too and there is
-- no second structure to keep. About 26 bytes a point, and a one-week read of one series touches only that series'
-- pages. The per-point source and ingested_at are dropped (nothing read them; time_series.updated_at says when a
-- series last took points).
--
-- organizations.retention_days: points older than that many days are deleted by the API's retention job, in bounded
-- batches; NULL keeps points forever.
--
-- The rewrite copies the points in key order (pages fill completely) and runs in the migrator's one transaction:
-- the old table exists until the commit, so a failure leaves the database as it was. The freed pages of the old table
-- stay in the file's freelist and take the next points (no VACUUM: sqld refuses it).
--
-- Rollback (also in 006_narrow_points.down.sql): rebuild the wide table from metrics joined with time_series (source
-- 'api', ingested_at the series' updated_at), recreate its two indexes, drop organizations.retention_days.

CREATE TABLE IF NOT EXISTS metrics_006 (
    series_id INTEGER NOT NULL REFERENCES time_series (id) ON DELETE CASCADE,
    ts        INTEGER NOT NULL,
    value     REAL    NOT NULL,
    PRIMARY KEY (series_id, ts)
) WITHOUT ROWID;

INSERT INTO metrics_006 (series_id, ts, value)
SELECT series_id, ts, value FROM metrics ORDER BY series_id, ts;

DROP INDEX IF EXISTS metrics_org_ts;
DROP INDEX IF EXISTS metrics_series_ts;
DROP TABLE metrics;
ALTER TABLE metrics_006 RENAME TO metrics;

ALTER TABLE organizations ADD COLUMN retention_days INTEGER CHECK (retention_days IS NULL OR retention_days BETWEEN 1 AND 36500);
