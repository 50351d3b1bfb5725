// Upserts incidents by incident_id with where they happened (AT) and, for a missing person,
// where they were found (FOUND_AT); links the row no longer names are removed. Returns nothing.
// Why: the incidents file of `graphsvc import`; occurred_on is stored beside occurred_at.
// neo4j replan: skip
UNWIND $rows AS row
MERGE (i:Incident {incident_id: row.incident_id})
WITH i, row, coalesce(i.row_hash = row.row_hash, false) AS unchanged
SET i.updated_at = CASE WHEN unchanged THEN i.updated_at ELSE localdatetime($now) END
SET i.row_hash = row.row_hash,
  i.incident_type = row.incident_type,
  i.occurred_at = localdatetime(row.occurred_at),
  i.occurred_on = date(row.occurred_on),
  i.risk_grade = row.risk_grade,
  i.dash_score = row.dash_score,
  i.returned_at = localdatetime(row.returned_at),
  i.return_interview_at = localdatetime(row.return_interview_at),
  i.crime_ref = row.crime_ref,
  i.status = row.status,
  i.summary = row.summary,
  i.source = row.source,
  i.source_ref = row.source_ref
WITH i, row
OPTIONAL MATCH (i)-[moved:AT]->(was:Address)
WHERE row.address_id IS NULL OR was.address_id <> row.address_id
DELETE moved
WITH DISTINCT i, row
OPTIONAL MATCH (i)-[refound:FOUND_AT]->(was_found:Address)
WHERE row.found_address_id IS NULL OR was_found.address_id <> row.found_address_id
DELETE refound
WITH DISTINCT i, row
OPTIONAL MATCH (a:Address {address_id: row.address_id})
OPTIONAL MATCH (f:Address {address_id: row.found_address_id})
FOREACH (place IN CASE WHEN a IS NULL THEN [] ELSE [a] END |
  MERGE (i)-[at:AT]->(place)
  SET at.updated_at = CASE WHEN coalesce(at.row_hash = row.link_hash, false) THEN at.updated_at
    ELSE localdatetime($now) END
  SET at.row_hash = row.link_hash, at.source = row.source, at.source_ref = row.source_ref
)
FOREACH (place IN CASE WHEN f IS NULL THEN [] ELSE [f] END |
  MERGE (i)-[found:FOUND_AT]->(place)
  SET found.updated_at = CASE WHEN coalesce(found.row_hash = row.link_hash, false)
    THEN found.updated_at ELSE localdatetime($now) END
  SET found.row_hash = row.link_hash, found.source = row.source,
    found.source_ref = row.source_ref
)
