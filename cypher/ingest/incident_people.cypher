// Upserts INVOLVED_IN links keyed by incident, person and role. Returns nothing.
// Why: the incident_people file of `graphsvc import`.
// neo4j replan: skip
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id})
MATCH (i:Incident {incident_id: row.incident_id})
MERGE (p)-[r:INVOLVED_IN {role: row.role}]->(i)
WITH r, row, coalesce(r.row_hash = row.row_hash, false) AS unchanged
SET r.updated_at = CASE WHEN unchanged THEN r.updated_at ELSE localdatetime($now) END
SET r.row_hash = row.row_hash, r.source = row.source, r.source_ref = row.source_ref
