// Deletes up to $limit nodes with their relationships and returns how many it deleted. Used by
// tests and by re-seeding the demo, never by users: GraphStore.clear() repeats it until nothing
// is left, so no one transaction has to hold a whole county (Neo4j bounds transaction memory).
MATCH (n)
WITH n
LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
