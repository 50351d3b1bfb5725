-- The newest entry's sequence number and hash: the next entry chains onto it.
SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1;
