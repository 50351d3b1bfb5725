// Removes CONCERNS links to entities a flag no longer concerns (e.g. an incident that left the
// rule's window), so clusters follow the current evidence: every link the current run wrote
// carries its run_id; the others on the run's flags go.
// neo4j replan: skip
UNWIND $rows AS row
MATCH (f:Flag {flag_id: row.flag_id})-[c:CONCERNS]->()
WHERE c.run_id IS NULL OR c.run_id <> $run_id
DELETE c
RETURN count(*) AS removed
