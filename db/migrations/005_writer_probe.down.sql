-- Rollback of 005_writer_probe.
DROP TABLE IF EXISTS writer_probe;
