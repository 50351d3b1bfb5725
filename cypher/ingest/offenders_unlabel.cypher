// Removes the Offender label from the people of $ids that no offenders row reached (they have no
// offender_row_hash). Returns one row {unlabelled}.
// Why: `graphsvc import` creates the people offenders.csv lists as Person:Offender before it
// reads that file (ingest/people_new_offender); one whose offenders row was then rejected must
// end as if the label had never been set.
// neo4j replan: skip
UNWIND $ids AS id
MATCH (p:Person {person_id: id})
WHERE p:Offender AND p.offender_row_hash IS NULL
REMOVE p:Offender
RETURN count(p) AS unlabelled
