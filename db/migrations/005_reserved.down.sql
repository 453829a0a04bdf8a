-- Rollback of 005_reserved: nothing to undo.
SELECT 1;
