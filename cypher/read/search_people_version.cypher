// Returns how many people the graph holds and when the latest of them changed.
// Why: the in-memory people search index is rebuilt when either changes. The count comes from
// the engine's label count and the latest change from the end of the updated_at index (Neo4j),
// so the check every few seconds of a search server reads two entries, not every person (a
// county's 200,000 took 0.2-1 s on Neo4j, paid by one search in twenty).
MATCH (p:Person)
WITH count(p) AS people
OPTIONAL MATCH (q:Person)
WHERE q.updated_at IS NOT NULL
WITH people, q.updated_at AS latest
ORDER BY latest DESC
LIMIT 1
RETURN people, latest
