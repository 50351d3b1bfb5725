// Benchmark only: the first 25 people with one family-name key, through its index: the floor
// under a name search on the same engine.
MATCH (p:Person)
WHERE p.family_name_key = $key
RETURN p.person_id AS person_id, p.given_name AS given_name
LIMIT 25
