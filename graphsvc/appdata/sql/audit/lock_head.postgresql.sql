-- Takes the chain's lock for this transaction (the head row, FOR UPDATE: one append at a
-- time across every host) and returns the head, with the newest entry as this statement's
-- snapshot saw it (null when the log is empty). When a writer committed while this one
-- waited, the head is the new one and the entry the old one: they differ, and the newest
-- entry is then read again (the lock now held).
SELECT h.seq, h.hash, newest.seq AS newest_seq, newest.hash AS newest_hash
FROM audit_head AS h
LEFT JOIN LATERAL (SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1) AS newest ON TRUE
WHERE h.one = 1
FOR UPDATE OF h;
