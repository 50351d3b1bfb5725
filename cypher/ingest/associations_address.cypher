// Upserts ASSOCIATED_WITH links from a person to an address (which must exist), keyed by person, target and
// relation. Returns nothing. Why: the associations file of `graphsvc import` (target_type address).
// neo4j replan: skip
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id})
MATCH (t:Address {address_id: row.target_id})
MERGE (p)-[r:ASSOCIATED_WITH {relation: row.relation}]->(t)
WITH r, row, coalesce(r.row_hash = row.row_hash, false) AS unchanged
SET r.updated_at = CASE WHEN unchanged THEN r.updated_at ELSE localdatetime($now) END
SET r.row_hash = row.row_hash,
  r.first_seen = date(row.first_seen),
  r.last_seen = date(row.last_seen),
  r.grading = row.grading,
  r.source = row.source,
  r.source_ref = row.source_ref
