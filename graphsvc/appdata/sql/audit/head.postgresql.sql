-- The chain head: the newest entry as recorded when it was appended.
SELECT seq, hash FROM audit_head WHERE one = 1;
