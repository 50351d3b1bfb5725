// Returns one row {RESIDES_AT, INVOLVED_IN}: whether the graph holds any link of each type.
// Why: `graphsvc import` creates every link of a link file without merging when the graph held
// none of its type as the file began (a first load).
OPTIONAL MATCH ()-[r:RESIDES_AT]->()
WITH r LIMIT 1
OPTIONAL MATCH ()-[i:INVOLVED_IN]->()
WITH r, i LIMIT 1
RETURN r IS NOT NULL AS RESIDES_AT, i IS NOT NULL AS INVOLVED_IN
