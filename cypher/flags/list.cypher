// Flags filtered by rule, status (a list) and a concerned entity key (`label_key=value`),
// most severe and most recently seen first.
MATCH (f:Flag)
WHERE ($rule IS NULL OR f.rule_id = $rule)
  AND ($statuses IS NULL OR f.status IN $statuses)
  AND ($entity_key IS NULL OR $entity_key IN f.concerned_keys)
RETURN f AS flag
ORDER BY CASE f.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 ELSE 2 END, f.last_seen DESC,
         f.flag_id
