// Marks flags whose condition no longer holds as resolved (never deletes them) and records a
// `resolved` FlagEvent for each, in one statement. Returns the flags it changed.
// neo4j replan: skip
UNWIND $rows AS row
MATCH (f:Flag {flag_id: row.flag_id})
WHERE f.status <> 'resolved'
WITH f, row, f.status AS from_status
SET f.status = 'resolved', f.resolved_at = localdatetime($at),
    f.status_changed_at = localdatetime($at), f.last_run_id = $run_id
CREATE (:FlagEvent {event_id: row.event_id, seq: row.seq, at: localdatetime($at), by: $by,
                    kind: 'resolved', from_status: from_status, to_status: 'resolved',
                    reason: row.reason})-[:ON]->(f)
RETURN f.flag_id AS flag_id
