-- 005_writer_probe: the scratch row the API's readiness check writes through the one database writer.
--
-- The check writes a row here inside the writer's transaction and rolls it back to a savepoint: that proves the
-- writer is not wedged, the server answers and the file takes writes, without storing anything. After a full disk it
-- commits a 1 MiB row instead (and deletes it again), since only a write that needs space shows the disk has room.
--
-- Rollback (also in 005_writer_probe.down.sql):
--   DROP TABLE IF EXISTS writer_probe;

CREATE TABLE IF NOT EXISTS writer_probe (
    id        INTEGER PRIMARY KEY,
    filler    BLOB NOT NULL,
    probed_at TEXT NOT NULL
);
