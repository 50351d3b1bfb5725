-- Entries newest first, each filter applied only when given (an empty value matches all):
-- user, kind, UTC time range, and a record key shown (or asked for).
SELECT seq, at, "user", role, kind, action, asked, shown, justification, prev_hash, hash
FROM audit_log
WHERE (:user = '' OR "user" = :user) AND (:kind = '' OR kind = :kind)
  AND (:since = '' OR at >= :since) AND (:until = '' OR at < :until)
  AND (:record_key = ''
       OR jsonb_exists(CAST(shown AS jsonb), :record_key)
       OR strpos(asked, :record_key) > 0)
ORDER BY seq DESC LIMIT :limit;
