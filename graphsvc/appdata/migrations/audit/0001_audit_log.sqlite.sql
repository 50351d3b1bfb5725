-- The append-only audit log and the triggers that refuse changes to it.
-- Written with IF NOT EXISTS: audit.db files made before migrations existed are adopted.
CREATE TABLE IF NOT EXISTS audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    role TEXT NOT NULL,
    kind TEXT NOT NULL,
    action TEXT NOT NULL,
    asked TEXT NOT NULL,
    shown TEXT NOT NULL,
    justification TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_log_user ON audit_log (user, seq);
CREATE INDEX IF NOT EXISTS audit_log_kind ON audit_log (kind, seq);
CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log (at);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be changed');
END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be deleted');
END;
