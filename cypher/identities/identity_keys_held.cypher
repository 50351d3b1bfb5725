// Returns every record that carries an identity_key, with it.
// Why: keys are rewritten only where the grouping changed them.
MATCH (p:Person)
WHERE p.identity_key IS NOT NULL
RETURN p.person_id AS person_id, p.identity_key AS identity_key
