// Deletes the link between a pair (a before b) while its status is the one the caller saw.
// Returns the number deleted (0 when the status moved meanwhile).
// Why: undoing an officer's link that linkage never proposed leaves no link at all.
MATCH (a:Person {person_id: $a})-[l:SAME_AS]->(b:Person {person_id: $b})
WHERE l.status = $from_status
DELETE l
RETURN count(*) AS deleted
