-- 1 when the audit table exists (verify never creates it).
SELECT count(*) FROM pg_tables WHERE tablename = 'audit_log' AND schemaname = current_schema();
