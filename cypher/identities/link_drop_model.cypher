// Deletes model-made links (automatic or for review, no officer decision) that a full linkage
// run no longer finds, for a batch of pairs (a before b). Returns nothing.
// Why: a link whose records changed so that they no longer match must not keep joining them.
UNWIND $rows AS row
MATCH (a:Person {person_id: row.a})-[l:SAME_AS]->(b:Person {person_id: row.b})
WHERE l.status IN ['automatic', 'for_review']
DELETE l
