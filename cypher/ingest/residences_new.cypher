// Writes RESIDES_AT links when the graph held none as the residences file began, so no row's link
// exists yet (the import rejects a second row with the same key). Returns nothing.
// Why: the residences file of `graphsvc import` on a first load: what ingest/residences would
// write, created at once instead of merged (no search of each person's links for one to reuse).
// neo4j replan: skip
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id})
MATCH (a:Address {address_id: row.address_id})
CREATE (p)-[:RESIDES_AT {
  residence_key: row.residence_key,
  updated_at: localdatetime($now),
  row_hash: row.row_hash,
  residence_type: row.residence_type,
  start_date: date(row.start_date),
  end_date: date(row.end_date),
  source: row.source,
  source_ref: row.source_ref
}]->(a)
