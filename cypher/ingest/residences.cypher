// Upserts RESIDES_AT links keyed by person, address, residence_type and start_date (the
// residence_key property holds type and start date, since a MERGE key cannot be null).
// Returns nothing. Why: the residences file of `graphsvc import`.
// neo4j replan: skip
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id})
MATCH (a:Address {address_id: row.address_id})
MERGE (p)-[r:RESIDES_AT {residence_key: row.residence_key}]->(a)
WITH r, row, coalesce(r.row_hash = row.row_hash, false) AS unchanged
SET r.updated_at = CASE WHEN unchanged THEN r.updated_at ELSE localdatetime($now) END
SET r.row_hash = row.row_hash,
  r.residence_type = row.residence_type,
  r.start_date = date(row.start_date),
  r.end_date = date(row.end_date),
  r.source = row.source,
  r.source_ref = row.source_ref
