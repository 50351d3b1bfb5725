// Returns how many addresses the graph holds and when the latest of them changed.
// Why: the in-memory address search index is rebuilt when either changes.
MATCH (a:Address)
RETURN count(a) AS addresses, max(a.updated_at) AS latest
