// Returns the current status of each flag of $flag_ids that exists (flag_id, status, rule_id),
// so a decision on several flags can check every transition before it writes anything.
MATCH (f:Flag)
WHERE f.flag_id IN $flag_ids
RETURN f.flag_id AS flag_id, f.status AS status, f.rule_id AS rule_id
ORDER BY flag_id
