// Returns every SAME_AS link's pair (a before b), their sources, status and probability,
// without evidence.
// Why: grouping records into people after each linkage run or decision reads only these.
MATCH (a:Person)-[l:SAME_AS]->(b:Person)
RETURN a.person_id AS a, b.person_id AS b, a.source AS a_source, b.source AS b_source,
       l.status AS status, l.probability AS probability
