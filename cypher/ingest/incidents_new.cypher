// Writes incidents the graph does not hold yet (the import checked just before), with where they
// happened (AT) and where a missing person was found (FOUND_AT). Returns nothing.
// Why: the incidents file of `graphsvc import`; a new incident has no stale links to remove and
// nothing to merge with, so this creates what ingest/incidents would write (if another writer
// created one meanwhile, the key's uniqueness refuses the batch and its rows go one by one).
UNWIND $rows AS row
CREATE (i:Incident {incident_id: row.incident_id})
SET i.updated_at = localdatetime($now),
  i.row_hash = row.row_hash,
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
OPTIONAL MATCH (a:Address {address_id: row.address_id})
OPTIONAL MATCH (f:Address {address_id: row.found_address_id})
FOREACH (place IN CASE WHEN a IS NULL THEN [] ELSE [a] END |
  CREATE (i)-[at:AT]->(place)
  SET at.updated_at = localdatetime($now), at.row_hash = row.link_hash,
    at.source = row.source, at.source_ref = row.source_ref
)
FOREACH (place IN CASE WHEN f IS NULL THEN [] ELSE [f] END |
  CREATE (i)-[found:FOUND_AT]->(place)
  SET found.updated_at = localdatetime($now), found.row_hash = row.link_hash,
    found.source = row.source, found.source_ref = row.source_ref
)
