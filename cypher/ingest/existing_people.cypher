// Returns which of the given ids ($ids) already exist as Person nodes, as rows {id}.
// Why: the import accepts a reference to a Person only if the import or the graph holds it.
// neo4j replan: skip
UNWIND $ids AS id
MATCH (n:Person {person_id: id})
RETURN n.person_id AS id
