// Returns how many people the graph holds and when the latest of them changed.
// Why: the in-memory people search index is rebuilt when either changes.
MATCH (p:Person)
RETURN count(p) AS people, max(p.updated_at) AS latest
