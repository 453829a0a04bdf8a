-- 001_initial_schema: the metrics spine and everything derived from it.
--
-- Conventions: timestamps of points are INTEGER Unix epoch milliseconds, UTC; bookkeeping times are
-- ISO-8601 UTC text. Dimensions are canonical JSON (keys sorted, no whitespace) so that one series can
-- never be stored twice under two spellings. Every tenant-owned row references organizations.
--
-- Rollback (also in 001_initial_schema.down.sql):
--   DROP TABLE IF EXISTS alerts; DROP TABLE IF EXISTS alert_rules; DROP TABLE IF EXISTS anomalies;
--   DROP TABLE IF EXISTS forecasts; DROP TABLE IF EXISTS metrics; DROP TABLE IF EXISTS time_series;
--   DROP TABLE IF EXISTS ingestion_sources; DROP TABLE IF EXISTS organizations;
--   (_migrations is the migrator's own table and stays.)

-- The migrator's ledger. The migrator creates it itself before reading it; it is declared here too so
-- that this file alone describes the whole schema.
CREATE TABLE IF NOT EXISTS _migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    checksum    TEXT    NOT NULL,
    applied_at  TEXT    NOT NULL,
    duration_ms REAL    NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS organizations (
    id         TEXT PRIMARY KEY CHECK (length(id) BETWEEN 2 AND 63),
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at TEXT NOT NULL
);

-- One row per series: its identity and aggregates kept current by ingestion.
CREATE TABLE IF NOT EXISTS time_series (
    id                 INTEGER PRIMARY KEY,
    organization_id    TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    metric_key         TEXT    NOT NULL,
    dimensions         TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(dimensions)),
    point_count        INTEGER NOT NULL DEFAULT 0,
    first_ts           INTEGER,
    last_ts            INTEGER,
    resolution_seconds INTEGER,
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    UNIQUE (organization_id, metric_key, dimensions)
);

-- The canonical metrics spine: one row per (series, timestamp); a second write of the same point updates it.
-- metric_key and dimensions are repeated from the series so that each row describes itself (provenance
-- included) and time_series stays a rebuildable rollup.
CREATE TABLE IF NOT EXISTS metrics (
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
-- Range reads of one series, and the upsert key.
CREATE UNIQUE INDEX IF NOT EXISTS metrics_series_ts ON metrics (series_id, ts);
CREATE INDEX IF NOT EXISTS metrics_org_ts ON metrics (organization_id, ts);

CREATE TABLE IF NOT EXISTS forecasts (
    id              INTEGER PRIMARY KEY,
    organization_id TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    series_id       INTEGER NOT NULL REFERENCES time_series (id) ON DELETE CASCADE,
    method          TEXT    NOT NULL,
    horizon         INTEGER NOT NULL CHECK (horizon > 0),
    -- JSON array of {ts, value, lower80, upper80, lower95, upper95}
    points          TEXT    NOT NULL CHECK (json_valid(points)),
    model_info      TEXT    NOT NULL DEFAULT '{}',
    duration_ms     REAL,
    created_at      TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS forecasts_series_created ON forecasts (series_id, created_at);
CREATE INDEX IF NOT EXISTS forecasts_org_created ON forecasts (organization_id, created_at);

CREATE TABLE IF NOT EXISTS anomalies (
    id              INTEGER PRIMARY KEY,
    organization_id TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    series_id       INTEGER NOT NULL REFERENCES time_series (id) ON DELETE CASCADE,
    ts              INTEGER NOT NULL,
    value           REAL    NOT NULL,
    expected        REAL,
    score           REAL    NOT NULL CHECK (score >= 0 AND score <= 1),
    severity        TEXT    NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    type            TEXT    NOT NULL CHECK (type IN ('point', 'level_shift', 'trend_change')),
    context         TEXT    NOT NULL DEFAULT '{}',
    detected_at     TEXT    NOT NULL,
    acknowledged_at TEXT,
    acknowledged_by TEXT,
    UNIQUE (series_id, ts)
);
CREATE INDEX IF NOT EXISTS anomalies_org_ts ON anomalies (organization_id, ts);
CREATE INDEX IF NOT EXISTS anomalies_org_severity ON anomalies (organization_id, severity, ts);

CREATE TABLE IF NOT EXISTS alert_rules (
    id                INTEGER PRIMARY KEY,
    organization_id   TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name              TEXT    NOT NULL,
    kind              TEXT    NOT NULL CHECK (kind IN ('threshold', 'anomaly', 'forecast_breach', 'rate_of_change', 'missing_data')),
    metric_key        TEXT    NOT NULL,
    dimension_filter  TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(dimension_filter)),
    -- kind-specific settings (threshold, comparison, duration, severity, horizon, ...), as JSON
    config            TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(config)),
    -- notification channels, as JSON (e.g. [{"type":"webhook","url":"...","secretRef":"..."}])
    channels          TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(channels)),
    suppression       TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(suppression)),
    enabled           INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL,
    UNIQUE (organization_id, name)
);

CREATE TABLE IF NOT EXISTS alerts (
    id              INTEGER PRIMARY KEY,
    organization_id TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    rule_id         INTEGER NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
    series_id       INTEGER REFERENCES time_series (id) ON DELETE SET NULL,
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'firing', 'acknowledged', 'resolved')),
    dedup_key       TEXT    NOT NULL,
    message         TEXT    NOT NULL,
    value           REAL,
    started_at      TEXT    NOT NULL,
    fired_at        TEXT,
    acknowledged_at TEXT,
    resolved_at     TEXT,
    updated_at      TEXT    NOT NULL
);
-- At most one open alert per rule and series: the deduplication key.
CREATE UNIQUE INDEX IF NOT EXISTS alerts_open_dedup ON alerts (rule_id, dedup_key) WHERE state <> 'resolved';
CREATE INDEX IF NOT EXISTS alerts_org_state ON alerts (organization_id, state, updated_at);

CREATE TABLE IF NOT EXISTS ingestion_sources (
    id               INTEGER PRIMARY KEY,
    organization_id  TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name             TEXT    NOT NULL,
    type             TEXT    NOT NULL CHECK (type IN ('api', 'csv', 'prometheus', 'webhook')),
    config           TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(config)),
    interval_seconds INTEGER CHECK (interval_seconds IS NULL OR interval_seconds > 0),
    enabled          INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    last_sync_at     TEXT,
    last_error       TEXT,
    created_at       TEXT    NOT NULL,
    UNIQUE (organization_id, name)
);
