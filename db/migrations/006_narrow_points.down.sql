-- Rollback of 006_narrow_points: the wide metrics table of 001 with its data, and no retention column.
CREATE TABLE IF NOT EXISTS metrics_005 (
    id              INTEGER PRIMARY KEY,
    organization_id TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    series_id       INTEGER NOT NULL REFERENCES time_series (id) ON DELETE CASCADE,
    metric_key      TEXT    NOT NULL,
    dimensions      TEXT    NOT NULL DEFAULT '{}',
    ts              INTEGER NOT NULL,
    value           REAL    NOT NULL,
    source          TEXT    NOT NULL DEFAULT 'api',
    ingested_at     TEXT    NOT NULL
);

INSERT INTO metrics_005 (organization_id, series_id, metric_key, dimensions, ts, value, source, ingested_at)
SELECT s.organization_id, m.series_id, s.metric_key, s.dimensions, m.ts, m.value, 'api', s.updated_at
FROM metrics m JOIN time_series s ON s.id = m.series_id
ORDER BY m.series_id, m.ts;

DROP TABLE metrics;
ALTER TABLE metrics_005 RENAME TO metrics;
CREATE UNIQUE INDEX IF NOT EXISTS metrics_series_ts ON metrics (series_id, ts);
CREATE INDEX IF NOT EXISTS metrics_org_ts ON metrics (organization_id, ts);

ALTER TABLE organizations DROP COLUMN retention_days;
