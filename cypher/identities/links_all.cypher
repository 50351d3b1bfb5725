// Returns every SAME_AS link between two person records: both ids, each record's source, and the
// link's probability, status, model status, evidence and decision.
// Why: grouping records into people, the conflict checks and `identities list` read all links.
MATCH (a:Person)-[l:SAME_AS]->(b:Person)
RETURN a.person_id AS a, b.person_id AS b, a.source AS a_source, b.source AS b_source,
       l.probability AS probability, l.status AS status, l.model_status AS model_status,
       l.evidence_json AS evidence_json, l.decided_by AS decided_by,
       l.decided_at AS decided_at, l.reason AS reason, l.linked_at AS linked_at
