-- The triggers on the audit table (those that keep it append-only must be there).
SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log';
