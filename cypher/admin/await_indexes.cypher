// Waits until every index is online (Neo4j only; at most $seconds). Returns nothing.
// Why: after a first import Neo4j builds its lookup indexes in bulk; the import is done when
// they serve reads, so its time includes theirs.
CALL db.awaitIndexes($seconds)
