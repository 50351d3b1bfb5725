// Every flag a rule has raised, with what the runner needs to decide new / updated / resolved /
// reopened: its status, severity, the material items seen so far and the fingerprint of the
// entities it concerns (links are rewritten only when that changes); its identity and concerned
// keys tell an incremental run which flags a change can touch.
MATCH (f:Flag)
WHERE f.rule_id = $rule_id
RETURN f.flag_id AS flag_id, f.status AS status, f.severity AS severity,
       f.material_keys AS material_keys, f.concerns_hash AS concerns_hash,
       f.content_hash AS content_hash,
       f.entity_keys AS entity_keys, f.concerned_keys AS concerned_keys
