// Returns the names of the graph's online indexes, as rows {name} (Neo4j only).
// Why: the tests check that a large first load on Neo4j builds its lookup indexes again.
SHOW INDEXES YIELD name, state
WHERE state = 'ONLINE'
RETURN name
ORDER BY name
