-- Appends one entry (the writer holds the chain's lock: seq and prev_hash are the newest).
INSERT INTO audit_log (seq, at, "user", role, kind, action, asked, shown, justification,
                       prev_hash, hash)
VALUES (:seq, :at, :user, :role, :kind, :action, :asked, :shown, :justification,
        :prev_hash, :hash);
