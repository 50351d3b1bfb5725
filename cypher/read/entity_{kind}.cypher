// family: entity
// Returns one __Label__ (by __key__ = $key) with its labels and how many links it has of each type.
// Why: an entity page shows the node's details and the size of its neighbourhood before paging.
// A rejected SAME_AS link (an officer decided the records are two people) is not a link.
MATCH (n:__Label__ {__key__: $key})
OPTIONAL MATCH (n)-[r]-()
WHERE NOT (type(r) = 'SAME_AS' AND r.status = 'rejected')
WITH n, type(r) AS type, count(r) AS links
RETURN n AS node, labels(n) AS labels,
       collect(CASE WHEN type IS NULL THEN NULL ELSE {type: type, links: links} END) AS counts
