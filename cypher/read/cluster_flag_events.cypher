// Returns every recorded change of the given flags (raised, decisions, resolved, reopened,
// evidence changed), oldest first, for a cluster's timeline and decision record.
// $flag_ids: the cluster's flag ids.
MATCH (ev:FlagEvent)-[:ON]->(f:Flag)
WHERE f.flag_id IN $flag_ids
RETURN f.flag_id AS flag_id, ev.event_id AS event_id, ev.kind AS kind, ev.at AS at, ev.by AS by,
       ev.from_status AS from_status, ev.to_status AS to_status, ev.reason AS reason,
       ev.action AS action, ev.owner AS owner, ev.due_date AS due_date, ev.seq AS seq
ORDER BY at, seq, event_id
