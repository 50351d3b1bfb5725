// Returns the links waiting for an officer (status for_review), in the columns of links_all.
// Why: the review queue lists them.
MATCH (a:Person)-[l:SAME_AS]->(b:Person)
WHERE l.status = 'for_review'
RETURN a.person_id AS a, b.person_id AS b, a.source AS a_source, b.source AS b_source,
       l.probability AS probability, l.status AS status, l.model_status AS model_status,
       l.evidence_json AS evidence_json, l.decided_by AS decided_by,
       l.decided_at AS decided_at, l.reason AS reason, l.linked_at AS linked_at
