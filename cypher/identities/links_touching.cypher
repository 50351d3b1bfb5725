// Returns the SAME_AS links with either end among $ids, in the columns of links_all.
// Why: the entity page shows the links of a person's records with probability and evidence.
UNWIND $ids AS id
MATCH (a:Person {person_id: id})-[l:SAME_AS]->(b:Person)
RETURN a.person_id AS a, b.person_id AS b, a.source AS a_source, b.source AS b_source,
       l.probability AS probability, l.status AS status, l.model_status AS model_status,
       l.evidence_json AS evidence_json, l.decided_by AS decided_by,
       l.decided_at AS decided_at, l.reason AS reason, l.linked_at AS linked_at
UNION
UNWIND $ids AS id
MATCH (a:Person)-[l:SAME_AS]->(b:Person {person_id: id})
RETURN a.person_id AS a, b.person_id AS b, a.source AS a_source, b.source AS b_source,
       l.probability AS probability, l.status AS status, l.model_status AS model_status,
       l.evidence_json AS evidence_json, l.decided_by AS decided_by,
       l.decided_at AS decided_at, l.reason AS reason, l.linked_at AS linked_at
