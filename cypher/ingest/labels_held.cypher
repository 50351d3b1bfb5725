// Returns one row {Person, Address, Incident}: whether the graph holds any node of each label.
// Why: `graphsvc import` writes every row of a file as new, without comparing fingerprints,
// when the graph held none of the file's records as the file began (a first load).
OPTIONAL MATCH (p:Person)
WITH p LIMIT 1
OPTIONAL MATCH (a:Address)
WITH p, a LIMIT 1
OPTIONAL MATCH (i:Incident)
WITH p, a, i LIMIT 1
RETURN p IS NOT NULL AS Person, a IS NOT NULL AS Address, i IS NOT NULL AS Incident
