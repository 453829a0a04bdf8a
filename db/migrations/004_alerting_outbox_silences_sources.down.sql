-- Rollback of 004_alerting_outbox_silences_sources. Alerts in the no_data state become firing; notification
-- history goes back to alert_deliveries (one row per notification); policies, silences and source state are dropped.
DROP TABLE IF EXISTS source_push_replays;
DROP TABLE IF EXISTS source_counters;
DROP TABLE IF EXISTS source_metrics;
ALTER TABLE ingestion_sources DROP COLUMN last_success_at;
DROP TABLE IF EXISTS silences;
DROP TABLE IF EXISTS notification_policies;
DROP TABLE IF EXISTS notification_groups;
DROP TABLE IF EXISTS notification_attempts;

CREATE TABLE IF NOT EXISTS alerts_003 (
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
INSERT INTO alerts_003 (id, organization_id, rule_id, series_id, state, dedup_key, message, value, started_at, fired_at, acknowledged_at, resolved_at, updated_at)
    SELECT id, organization_id, rule_id, series_id, CASE WHEN state = 'no_data' THEN 'firing' ELSE state END, dedup_key, message, value,
           started_at, fired_at, acknowledged_at, resolved_at, updated_at FROM alerts;
CREATE TABLE IF NOT EXISTS alert_deliveries (
    id              INTEGER PRIMARY KEY,
    organization_id TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    alert_id        INTEGER NOT NULL REFERENCES alerts_003 (id) ON DELETE CASCADE,
    channel_url     TEXT    NOT NULL,
    event           TEXT    NOT NULL CHECK (event IN ('firing', 'resolved')),
    attempts        INTEGER NOT NULL CHECK (attempts >= 1),
    succeeded       INTEGER NOT NULL CHECK (succeeded IN (0, 1)),
    status_code     INTEGER,
    error           TEXT,
    created_at      TEXT    NOT NULL
);
INSERT INTO alert_deliveries (organization_id, alert_id, channel_url, event, attempts, succeeded, status_code, error, created_at)
    SELECT organization_id, alert_id, channel_target, CASE WHEN event = 'resolved' THEN 'resolved' ELSE 'firing' END, max(attempts, 1),
           CASE WHEN status = 'delivered' THEN 1 ELSE 0 END, last_status_code, last_error, created_at
    FROM notification_outbox WHERE status IN ('delivered', 'failed');
DROP TABLE IF EXISTS notification_outbox;
DROP TABLE IF EXISTS alerts;
ALTER TABLE alerts_003 RENAME TO alerts;
CREATE UNIQUE INDEX IF NOT EXISTS alerts_open_dedup ON alerts (rule_id, dedup_key) WHERE state <> 'resolved';
CREATE INDEX IF NOT EXISTS alerts_org_state ON alerts (organization_id, state, updated_at);
CREATE INDEX IF NOT EXISTS alert_deliveries_alert ON alert_deliveries (alert_id, created_at);

ALTER TABLE alert_rules DROP COLUMN notification;
ALTER TABLE alert_rules DROP COLUMN no_data_after_seconds;
ALTER TABLE alert_rules DROP COLUMN no_data_state;
ALTER TABLE alert_rules DROP COLUMN runbook_url;
ALTER TABLE alert_rules DROP COLUMN labels;
