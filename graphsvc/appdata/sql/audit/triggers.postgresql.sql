-- The triggers on the audit table (those that keep it append-only must be there).
SELECT tgname AS name FROM pg_trigger
WHERE tgrelid = to_regclass('audit_log') AND NOT tgisinternal AND tgenabled <> 'D';
