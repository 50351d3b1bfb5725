// Returns how many addresses the graph holds and when the latest of them changed.
// Why: the in-memory address search index is rebuilt when either changes. As
// read/search_people_version: the label count and the end of the updated_at index (Neo4j).
MATCH (a:Address)
WITH count(a) AS addresses
OPTIONAL MATCH (b:Address)
WHERE b.updated_at IS NOT NULL
WITH addresses, b.updated_at AS latest
ORDER BY latest DESC
LIMIT 1
RETURN addresses, latest
