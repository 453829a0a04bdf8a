-- 003_reserved: a placeholder so that 004 applies on this branch. Migration 003 belongs to another branch;
-- at merge the real 003 replaces this file.
SELECT 1;
