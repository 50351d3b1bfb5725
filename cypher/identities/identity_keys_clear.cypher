// Removes identity_key from records that are linked to no other record any more. Returns nothing.
// Why: a record alone is its own identity; rules read coalesce(identity_key, person_id).
UNWIND $ids AS id
MATCH (p:Person {person_id: id})
REMOVE p.identity_key
