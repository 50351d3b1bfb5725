// Every flag a rule has raised, with what the runner needs to decide new / updated / resolved /
// reopened: its status, severity and the material items seen so far.
MATCH (f:Flag)
WHERE f.rule_id = $rule_id
RETURN f.flag_id AS flag_id, f.status AS status, f.severity AS severity,
       f.material_keys AS material_keys, f.evidence_json AS evidence_json
