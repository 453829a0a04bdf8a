-- 004_alerting_outbox_silences_sources: alerting an on-call engineer can trust, and Prometheus sources that keep
-- what a scrape says.
--
-- alert_rules: labels (severity, team, ...), an optional runbook URL, how a rule treats a series that stops
--   reporting (no_data_state, no_data_after_seconds) and its own grouping and timing for its channels (notification JSON).
-- alerts: rebuilt, because SQLite cannot change a CHECK constraint in place: the no_data state, the alert's labels,
--   the details of what triggered it, who acknowledged and resolved it, since when its condition is clear (flap
--   damping: keepFiringForSeconds) and the silence that mutes it. Existing alerts keep their ids.
-- notification_outbox: every notification to send, written in the same transaction as the alert change it reports;
--   the dispatcher delivers it (per-channel queues) and records the outcome. It replaces alert_deliveries, whose
--   rows move here as delivered or failed history.
-- notification_attempts: every attempt of every notification (visible in the API and the dashboard).
-- notification_groups: when each group of each channel was last notified (group interval, repeat interval).
-- notification_policies: routing by label matchers to channels, with grouping and timing.
-- silences: matchers with a start, an end and a comment.
-- ingestion_sources.last_success_at beside last_sync_at (the last attempt); source_metrics keeps each scraped
--   metric's type; source_counters the last sample of each counter series (the derived rate survives restarts);
--   source_push_replays the signatures of accepted pushes, so a replay within the tolerance is refused.
--
-- Rollback: 004_alerting_outbox_silences_sources.down.sql.

ALTER TABLE alert_rules ADD COLUMN labels TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(labels));
ALTER TABLE alert_rules ADD COLUMN runbook_url TEXT;
ALTER TABLE alert_rules ADD COLUMN no_data_state TEXT NOT NULL DEFAULT 'no_data' CHECK (no_data_state IN ('no_data', 'alerting', 'ok', 'keep_last'));
ALTER TABLE alert_rules ADD COLUMN no_data_after_seconds REAL;
ALTER TABLE alert_rules ADD COLUMN notification TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(notification));

CREATE TABLE IF NOT EXISTS alerts_004 (
    id              INTEGER PRIMARY KEY,
    organization_id TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    rule_id         INTEGER NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
    series_id       INTEGER REFERENCES time_series (id) ON DELETE SET NULL,
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'firing', 'acknowledged', 'no_data', 'resolved')),
    dedup_key       TEXT    NOT NULL,
    message         TEXT    NOT NULL,
    value           REAL,
    labels          TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(labels)),
    details         TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(details)),
    started_at      TEXT    NOT NULL,
    fired_at        TEXT,
    acknowledged_at TEXT,
    acknowledged_by TEXT,
    resolved_at     TEXT,
    resolved_by     TEXT,
    clear_since     TEXT,
    silenced_by     INTEGER,
    updated_at      TEXT    NOT NULL
);
INSERT INTO alerts_004 (id, organization_id, rule_id, series_id, state, dedup_key, message, value, started_at, fired_at, acknowledged_at, resolved_at, updated_at)
    SELECT id, organization_id, rule_id, series_id, state, dedup_key, message, value, started_at, fired_at, acknowledged_at, resolved_at, updated_at FROM alerts;

CREATE TABLE IF NOT EXISTS notification_outbox (
    id               INTEGER PRIMARY KEY,
    organization_id  TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    alert_id         INTEGER NOT NULL REFERENCES alerts_004 (id) ON DELETE CASCADE,
    -- which channel: 'rule:<rule id>:<index>' or 'policy:<policy id>:<index>'; its settings (and secret) stay there
    channel_key      TEXT    NOT NULL,
    channel_type     TEXT    NOT NULL CHECK (channel_type IN ('webhook', 'slack', 'email')),
    -- the URL or the recipients, to show (never a secret)
    channel_target   TEXT    NOT NULL,
    group_key        TEXT    NOT NULL,
    event            TEXT    NOT NULL CHECK (event IN ('firing', 'resolved', 'no_data', 'repeat')),
    -- the alert as it was when the event happened (what the message says about it)
    snapshot         TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(snapshot)),
    status           TEXT    NOT NULL CHECK (status IN ('queued', 'delivered', 'failed', 'silenced')),
    attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    due_at           TEXT    NOT NULL,
    deadline_at      TEXT    NOT NULL,
    claimed_until    TEXT,
    last_error       TEXT,
    last_status_code INTEGER,
    created_at       TEXT    NOT NULL,
    finished_at      TEXT
);
INSERT INTO notification_outbox (organization_id, alert_id, channel_key, channel_type, channel_target, group_key, event, status, attempts, due_at, deadline_at, last_error, last_status_code, created_at, finished_at)
    SELECT organization_id, alert_id, 'legacy', 'webhook', channel_url, 'legacy:' || alert_id, event,
           CASE WHEN succeeded = 1 THEN 'delivered' ELSE 'failed' END, attempts, created_at, created_at, error, status_code, created_at, created_at
    FROM alert_deliveries;
DROP TABLE IF EXISTS alert_deliveries;
DROP TABLE IF EXISTS alerts;
ALTER TABLE alerts_004 RENAME TO alerts;
CREATE UNIQUE INDEX IF NOT EXISTS alerts_open_dedup ON alerts (rule_id, dedup_key) WHERE state <> 'resolved';
CREATE INDEX IF NOT EXISTS alerts_org_state ON alerts (organization_id, state, updated_at);
CREATE INDEX IF NOT EXISTS alerts_rule_dedup ON alerts (rule_id, dedup_key, started_at);
CREATE INDEX IF NOT EXISTS notification_outbox_due ON notification_outbox (status, due_at);
CREATE INDEX IF NOT EXISTS notification_outbox_alert ON notification_outbox (alert_id, id);
CREATE INDEX IF NOT EXISTS notification_outbox_group ON notification_outbox (channel_key, group_key, status);

CREATE TABLE IF NOT EXISTS notification_attempts (
    id              INTEGER PRIMARY KEY,
    organization_id TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    outbox_id       INTEGER NOT NULL REFERENCES notification_outbox (id) ON DELETE CASCADE,
    attempt         INTEGER NOT NULL CHECK (attempt >= 1),
    outcome         TEXT    NOT NULL CHECK (outcome IN ('delivered', 'retrying', 'failed')),
    -- a short category (refused_by_policy, timed_out, connection_failed, bad_response, ...), never socket detail
    error           TEXT,
    status_code     INTEGER,
    duration_ms     REAL    NOT NULL,
    at              TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS notification_attempts_outbox ON notification_attempts (outbox_id, id);

CREATE TABLE IF NOT EXISTS notification_groups (
    channel_key      TEXT NOT NULL,
    group_key        TEXT NOT NULL,
    organization_id  TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    group_labels     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(group_labels)),
    last_notified_at TEXT,
    -- when the group's still-open alerts are notified again (its route's repeat interval after the last notification)
    repeat_at        TEXT,
    PRIMARY KEY (channel_key, group_key)
);

CREATE TABLE IF NOT EXISTS notification_policies (
    id                      INTEGER PRIMARY KEY,
    organization_id         TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name                    TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    position                INTEGER NOT NULL DEFAULT 0,
    matchers                TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(matchers)),
    channels                TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(channels)),
    -- groupBy, groupWaitSeconds, groupIntervalSeconds, repeatIntervalSeconds
    notification            TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(notification)),
    continue_matching       INTEGER NOT NULL DEFAULT 0 CHECK (continue_matching IN (0, 1)),
    enabled                 INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    created_at              TEXT    NOT NULL,
    updated_at              TEXT    NOT NULL,
    UNIQUE (organization_id, name)
);

CREATE TABLE IF NOT EXISTS silences (
    id              INTEGER PRIMARY KEY,
    organization_id TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    matchers        TEXT    NOT NULL CHECK (json_valid(matchers)),
    starts_at       TEXT    NOT NULL,
    ends_at         TEXT    NOT NULL,
    comment         TEXT    NOT NULL,
    created_by      TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS notification_groups_repeat ON notification_groups (repeat_at);
CREATE INDEX IF NOT EXISTS silences_org_ends ON silences (organization_id, ends_at);

ALTER TABLE ingestion_sources ADD COLUMN last_success_at TEXT;

CREATE TABLE IF NOT EXISTS source_metrics (
    source_id   INTEGER NOT NULL REFERENCES ingestion_sources (id) ON DELETE CASCADE,
    metric_key  TEXT    NOT NULL,
    metric_type TEXT    NOT NULL CHECK (metric_type IN ('counter', 'gauge', 'histogram', 'summary', 'untyped')),
    help        TEXT,
    updated_at  TEXT    NOT NULL,
    PRIMARY KEY (source_id, metric_key)
);

CREATE TABLE IF NOT EXISTS source_counters (
    source_id  INTEGER NOT NULL REFERENCES ingestion_sources (id) ON DELETE CASCADE,
    -- metric key and canonical dimensions of the counter series
    series_key TEXT    NOT NULL,
    value      REAL    NOT NULL,
    ts         INTEGER NOT NULL,
    PRIMARY KEY (source_id, series_key)
);

CREATE TABLE IF NOT EXISTS source_push_replays (
    source_id  INTEGER NOT NULL REFERENCES ingestion_sources (id) ON DELETE CASCADE,
    signature  TEXT    NOT NULL,
    expires_at TEXT    NOT NULL,
    PRIMARY KEY (source_id, signature)
);
CREATE INDEX IF NOT EXISTS source_push_replays_expires ON source_push_replays (expires_at);
