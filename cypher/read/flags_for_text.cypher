// Returns flags by id with their rule, severity, status, stored summary, evidence (JSON text) and
// every entity they concern (key `label_key=value` and role), for graphsvc.flag_text, which turns
// each into sentences with names, ages, addresses and dates.
MATCH (f:Flag)
WHERE f.flag_id IN $flag_ids
OPTIONAL MATCH (f)-[c:CONCERNS]->()
WITH f, collect({key: c.entity_key, role: c.role}) AS concerned
RETURN f.flag_id AS flag_id, f.rule_id AS rule_id, f.severity AS severity, f.status AS status,
       f.summary AS summary, f.evidence_json AS evidence_json, f.first_seen AS first_seen,
       f.last_seen AS last_seen, f.action AS action, f.owner AS owner, f.due_date AS due_date,
       concerned
ORDER BY flag_id
