// Flags with one of the given statuses that concern any of the given entity keys
// (`label_key=value`): the address check and search show these beside an entity.
MATCH (f:Flag)
WHERE f.status IN $statuses AND any(k IN f.concerned_keys WHERE k IN $keys)
RETURN f AS flag
ORDER BY CASE f.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 ELSE 2 END, f.last_seen DESC,
         f.flag_id
