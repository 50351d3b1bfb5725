// Records an officer's decision on a pair (a before b): status, who, when, why; creates the link
// if linkage never proposed it. Matches only while the link's status is the one the caller saw
// (absent: $from_status is null), so two officers deciding at once cannot overwrite each other.
// Returns the new status, or no row when the status moved meanwhile.
// Why: `identities decide` and the review queue confirm, reject and undo links.
MATCH (a:Person {person_id: $a})
MATCH (b:Person {person_id: $b})
OPTIONAL MATCH (a)-[old:SAME_AS]->(b)
WITH a, b, old
WHERE (old IS NULL AND $from_status IS NULL) OR old.status = $from_status
MERGE (a)-[l:SAME_AS]->(b)
SET l.status = $to_status,
    l.decided_by = $by,
    l.decided_at = localdatetime($at),
    l.reason = $reason
RETURN l.status AS status
