-- Rollback of 003_reserved: nothing to undo.
SELECT 1;
