// Writes INVOLVED_IN links when the graph held none as the incident_people file began, so no
// row's link exists yet (the import rejects a second row with the same key). Returns nothing.
// Why: the incident_people file of `graphsvc import` on a first load: what
// ingest/incident_people would write, created at once instead of merged.
// neo4j replan: skip
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id})
MATCH (i:Incident {incident_id: row.incident_id})
CREATE (p)-[:INVOLVED_IN {
  role: row.role,
  updated_at: localdatetime($now),
  row_hash: row.row_hash,
  source: row.source,
  source_ref: row.source_ref
}]->(i)
