// Returns which of the given ids ($ids) already exist as Address nodes, as rows {id}.
// Why: the import accepts a reference to a Address only if the import or the graph holds it.
// neo4j replan: skip
UNWIND $ids AS id
MATCH (n:Address {address_id: id})
RETURN n.address_id AS id
