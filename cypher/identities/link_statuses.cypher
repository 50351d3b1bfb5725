// Returns every SAME_AS link's pair (a before b), status and probability, without evidence.
// Why: grouping records into people after each linkage run or decision reads only these.
MATCH (a:Person)-[l:SAME_AS]->(b:Person)
RETURN a.person_id AS a, b.person_id AS b, l.status AS status, l.probability AS probability
