// Returns every person's search keys and date of birth, one row per person.
// Why: the people search builds its in-memory name index from this one read (graphsvc.search).
MATCH (p:Person)
RETURN p.person_id AS person_id, p.name_key AS name_key, p.given_name_key AS given_name_key,
       p.family_name_key AS family_name_key, p.alias_keys AS alias_keys,
       p.date_of_birth AS date_of_birth
