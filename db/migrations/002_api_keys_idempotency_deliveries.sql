-- 002_api_keys_idempotency_deliveries: what the HTTP API needs besides the metrics spine.
--
-- api_keys: keys are shown once at creation and stored only as a SHA-256 hash (they are 256-bit random
-- secrets, so a slow password hash would add nothing); the prefix is kept so a listing can say which key is which.
-- idempotency_keys: the answer to an ingest request, replayed for a retry with the same Idempotency-Key.
-- alert_deliveries: every notification attempt series, with its outcome.
--
-- Rollback (also in 002_api_keys_idempotency_deliveries.down.sql):
--   DROP TABLE IF EXISTS alert_deliveries; DROP TABLE IF EXISTS idempotency_keys; DROP TABLE IF EXISTS api_keys;

CREATE TABLE IF NOT EXISTS api_keys (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    prefix          TEXT NOT NULL,
    key_hash        TEXT NOT NULL UNIQUE,
    -- space-separated: ingest:write metrics:read alerts:write admin
    scopes          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    last_used_at    TEXT,
    revoked_at      TEXT
);
CREATE INDEX IF NOT EXISTS api_keys_org ON api_keys (organization_id, created_at);

CREATE TABLE IF NOT EXISTS idempotency_keys (
    organization_id TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    key             TEXT    NOT NULL,
    request_hash    TEXT    NOT NULL,
    status_code     INTEGER NOT NULL,
    response_body   TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    expires_at      TEXT    NOT NULL,
    PRIMARY KEY (organization_id, key)
);
CREATE INDEX IF NOT EXISTS idempotency_keys_expires ON idempotency_keys (expires_at);

CREATE TABLE IF NOT EXISTS alert_deliveries (
    id              INTEGER PRIMARY KEY,
    organization_id TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    alert_id        INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    channel_url     TEXT    NOT NULL,
    event           TEXT    NOT NULL CHECK (event IN ('firing', 'resolved')),
    attempts        INTEGER NOT NULL CHECK (attempts >= 1),
    succeeded       INTEGER NOT NULL CHECK (succeeded IN (0, 1)),
    status_code     INTEGER,
    error           TEXT,
    created_at      TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS alert_deliveries_alert ON alert_deliveries (alert_id, created_at);

-- Rule evaluation looks up the series of one metric of one organization.
CREATE INDEX IF NOT EXISTS alert_rules_org_enabled ON alert_rules (enabled, organization_id);
