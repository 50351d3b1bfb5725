-- The entry that seals a log begun before the keyed chain (see audit.seal_legacy), if any.
SELECT seq, asked FROM audit_log WHERE kind = 'administration' AND action = :action
ORDER BY seq LIMIT 1;
