// Removes CONCERNS links to entities a flag no longer concerns (e.g. an incident that left the
// rule's window), so clusters follow the current evidence. `row.refs` holds "entity_key|role".
UNWIND $rows AS row
MATCH (f:Flag {flag_id: row.flag_id})-[c:CONCERNS]->()
WHERE NOT (c.entity_key + '|' + c.role) IN row.refs
DELETE c
RETURN count(*) AS removed
