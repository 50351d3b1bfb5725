// Sets each listed record's identity_key (the smallest person_id of the records linked to it,
// itself when alone) where it differs. Returns nothing.
// Why: rules and reads group a person's records by one key instead of walking SAME_AS paths.
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id})
WHERE p.identity_key IS NULL OR p.identity_key <> row.identity_key
SET p.identity_key = row.identity_key
