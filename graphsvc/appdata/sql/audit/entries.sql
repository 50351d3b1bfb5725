-- Every entry in order, for verification of the whole chain.
SELECT seq, at, "user", role, kind, action, asked, shown, justification, prev_hash, hash
FROM audit_log ORDER BY seq;
