// Relationship counts by type, for `graphsvc status`.
MATCH ()-[r]->()
RETURN type(r) AS type, count(*) AS count
ORDER BY type
