// Every flag a rule has raised, as flags/by_rule returns them but without their material keys
// (a shared-link hub's flag lists thousands of incidents: sending every flag's list was most
// of an incremental run's read of its standing flags); flags/material_of reads those of the
// flags whose content changed (graphsvc/flags/lifecycle.py).
MATCH (f:Flag)
WHERE f.rule_id = $rule_id
RETURN f.flag_id AS flag_id, f.status AS status, f.severity AS severity,
       f.concerns_hash AS concerns_hash, f.content_hash AS content_hash,
       f.entity_keys AS entity_keys, f.concerned_keys AS concerned_keys
