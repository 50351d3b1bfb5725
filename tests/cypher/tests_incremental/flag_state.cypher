// Tests only: every flag of a rule with what a user sees of it, to compare two runs.
MATCH (f:Flag)
WHERE f.rule_id = $rule_id
RETURN f.flag_id AS flag_id, f.status AS status, f.severity AS severity, f.summary AS summary,
       f.evidence_json AS evidence_json, f.material_keys AS material_keys,
       f.concerned_keys AS concerned_keys
ORDER BY flag_id
