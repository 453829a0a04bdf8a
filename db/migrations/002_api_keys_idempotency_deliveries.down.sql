-- Rollback of 002_api_keys_idempotency_deliveries.
DROP INDEX IF EXISTS alert_rules_org_enabled;
DROP TABLE IF EXISTS alert_deliveries;
DROP TABLE IF EXISTS idempotency_keys;
DROP TABLE IF EXISTS api_keys;
