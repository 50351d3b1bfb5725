// Returns one row {empty}: true when the graph holds no node at all.
// Why: a first import into an empty Neo4j graph builds its lookup indexes after the load.
OPTIONAL MATCH (n)
WITH n LIMIT 1
RETURN n IS NULL AS empty
