-- 1 when the audit table exists (verify never creates it).
SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'audit_log';
