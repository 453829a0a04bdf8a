-- 005_reserved: a placeholder so that 006 applies on this branch. Migration 005 belongs to another branch;
-- at merge the real 005 replaces this file.
SELECT 1;
