// Upserts people by person_id with their search keys, and links each of their phone numbers
// (Phone node, ASSOCIATED_WITH {relation: 'uses_phone'}); a link to a number the row no longer
// lists goes, unless an associations row asserts it too (it then has a row_hash). Returns
// nothing.
// Why: the people file of `graphsvc import`; updated_at moves only when the row's content does.
// neo4j replan: skip
UNWIND $rows AS row
MERGE (p:Person {person_id: row.person_id})
WITH p, row, coalesce(p.row_hash = row.row_hash, false) AS unchanged
SET p.updated_at = CASE WHEN unchanged THEN p.updated_at ELSE localdatetime($now) END
SET p.row_hash = row.row_hash,
  p.given_name = row.given_name,
  p.family_name = row.family_name,
  p.aliases = row.aliases,
  p.date_of_birth = date(row.date_of_birth),
  p.gender = row.gender,
  p.pnc_id = row.pnc_id,
  p.phone_numbers = row.phone_numbers,
  p.warning_markers = row.warning_markers,
  p.name_key = row.name_key,
  p.given_name_key = row.given_name_key,
  p.family_name_key = row.family_name_key,
  p.alias_keys = row.alias_keys,
  p.source = row.source,
  p.source_ref = row.source_ref
WITH p, row
OPTIONAL MATCH (p)-[dropped:ASSOCIATED_WITH {relation: 'uses_phone'}]->(old:Phone)
WHERE dropped.row_hash IS NULL AND NOT old.number IN coalesce(row.phone_numbers, [])
DELETE dropped
WITH DISTINCT p, row
FOREACH (number IN coalesce(row.phone_numbers, []) |
  MERGE (phone:Phone {number: number})
  ON CREATE SET phone.source = row.source, phone.source_ref = row.source_ref,
    phone.updated_at = localdatetime($now)
  MERGE (p)-[uses:ASSOCIATED_WITH {relation: 'uses_phone'}]->(phone)
  ON CREATE SET uses.source = row.source, uses.source_ref = row.source_ref,
    uses.updated_at = localdatetime($now)
)
