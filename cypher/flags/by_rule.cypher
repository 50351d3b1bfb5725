// Every flag a rule has raised, with what the runner needs to decide new / updated / resolved /
// reopened: its status, severity, the material items seen so far and the fingerprint of the
// entities it concerns (links are rewritten only when that changes).
MATCH (f:Flag)
WHERE f.rule_id = $rule_id
RETURN f.flag_id AS flag_id, f.status AS status, f.severity AS severity,
       f.material_keys AS material_keys, f.concerns_hash AS concerns_hash
