// Returns the records of the person a record belongs to (itself first, then the records linked
// to it automatically or by an officer, grouped by identity_key), with source and key fields.
// Why: the entity page shows a person once, with each source's record.
MATCH (p:Person {person_id: $person_id})
OPTIONAL MATCH (r:Person {identity_key: p.identity_key})
WITH p, collect(DISTINCT r) AS linked
UNWIND [p] + [x IN linked WHERE x <> p] AS rec
RETURN rec.person_id AS person_id, rec.source AS source, rec.source_ref AS source_ref,
       rec.given_name AS given_name, rec.family_name AS family_name,
       rec.date_of_birth AS date_of_birth, rec.pnc_id AS pnc_id
