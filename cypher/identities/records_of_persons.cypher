// Returns, for each listed person id that is linked to others (it has an identity_key), every
// record of that person (itself included).
// Why: a flag about a resolved person concerns every record id of that person, and an
// incremental rule run about one record re-evaluates the person's other records too.
UNWIND $ids AS id
MATCH (p:Person {person_id: id})
WHERE p.identity_key IS NOT NULL
MATCH (r:Person {identity_key: p.identity_key})
RETURN p.person_id AS person_id, collect(DISTINCT r.person_id) AS records
