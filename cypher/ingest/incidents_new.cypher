// Writes incidents the graph does not hold yet (the import checked just before), with where they
// happened (AT) and where a missing person was found (FOUND_AT). Returns nothing.
// Why: the incidents file of `graphsvc import`; a new incident has no stale links to remove and
// nothing to merge with, so this creates what ingest/incidents would write (if another writer
// created one meanwhile, the key's uniqueness refuses the batch and its rows go one by one).
// Every property is given as the node is created, so its index entries are written once
// (setting them afterwards leaves stale entries the engine must clean up in a forked process).
// neo4j replan: skip
UNWIND $rows AS row
CREATE (i:Incident {
  incident_id: row.incident_id,
  updated_at: localdatetime($now),
  row_hash: row.row_hash,
  incident_type: row.incident_type,
  occurred_at: localdatetime(row.occurred_at),
  occurred_on: date(row.occurred_on),
  risk_grade: row.risk_grade,
  dash_score: row.dash_score,
  returned_at: localdatetime(row.returned_at),
  return_interview_at: localdatetime(row.return_interview_at),
  crime_ref: row.crime_ref,
  status: row.status,
  summary: row.summary,
  source: row.source,
  source_ref: row.source_ref
})
WITH i, row
OPTIONAL MATCH (a:Address {address_id: row.address_id})
OPTIONAL MATCH (f:Address {address_id: row.found_address_id})
FOREACH (place IN CASE WHEN a IS NULL THEN [] ELSE [a] END |
  CREATE (i)-[:AT {updated_at: localdatetime($now), row_hash: row.link_hash,
    source: row.source, source_ref: row.source_ref}]->(place)
)
FOREACH (place IN CASE WHEN f IS NULL THEN [] ELSE [f] END |
  CREATE (i)-[:FOUND_AT {updated_at: localdatetime($now), row_hash: row.link_hash,
    source: row.source, source_ref: row.source_ref}]->(place)
)
