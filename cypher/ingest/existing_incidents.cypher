// Returns which of the given ids ($ids) already exist as Incident nodes, as rows {id}.
// Why: the import accepts a reference to a Incident only if the import or the graph holds it.
// neo4j replan: skip
UNWIND $ids AS id
MATCH (n:Incident {incident_id: id})
RETURN n.incident_id AS id
