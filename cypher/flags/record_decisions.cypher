// Records one decision on several flags at once (a tasking meeting's whole-cluster decision),
// all or nothing: it writes only when every flag in $rows still has the status the caller saw
// (row.from_status), setting the new status, action, owner and due date and adding a `decision`
// FlagEvent to each. Returns how many flags it decided (0 when any had changed meanwhile).
UNWIND $rows AS row
MATCH (f:Flag {flag_id: row.flag_id})
WHERE f.status = row.from_status
WITH collect(f) AS found, collect(row) AS wanted
WHERE size(found) = size($rows)
UNWIND range(0, size(found) - 1) AS i
WITH found[i] AS f, wanted[i] AS row
SET f.status = $to_status,
    f.status_changed_at = localdatetime($at),
    f.action = $action,
    f.owner = $owner,
    f.due_date = CASE WHEN $due_date IS NULL THEN null ELSE date($due_date) END,
    f.decided_by = $by,
    f.decided_at = localdatetime($at)
CREATE (e:FlagEvent {event_id: row.event_id, seq: row.seq, at: localdatetime($at), by: $by,
                     kind: 'decision', from_status: row.from_status, to_status: $to_status,
                     reason: $reason, action: $action, owner: $owner,
                     due_date: CASE WHEN $due_date IS NULL THEN null ELSE date($due_date) END})
       -[:ON]->(f)
RETURN count(f) AS decided
