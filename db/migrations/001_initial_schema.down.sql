-- Reverses 001_initial_schema. Children first, so foreign keys never dangle.
DROP TABLE IF EXISTS alerts;
DROP TABLE IF EXISTS alert_rules;
DROP TABLE IF EXISTS anomalies;
DROP TABLE IF EXISTS forecasts;
DROP TABLE IF EXISTS metrics;
DROP TABLE IF EXISTS time_series;
DROP TABLE IF EXISTS ingestion_sources;
DROP TABLE IF EXISTS organizations;
