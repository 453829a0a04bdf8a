-- Rollback of 006_writer_probe.
DROP TABLE IF EXISTS writer_probe;
