// Records a person's decision on a flag: the new status, the action agreed, its owner and due
// date, and a `decision` FlagEvent, in one statement. Matches only while the flag still has the
// status the caller saw, so two people deciding at once cannot overwrite each other silently.
MATCH (f:Flag {flag_id: $flag_id})
WHERE f.status = $from_status
SET f.status = $to_status,
    f.status_changed_at = localdatetime($at),
    f.action = $action,
    f.owner = $owner,
    f.due_date = CASE WHEN $due_date IS NULL THEN null ELSE date($due_date) END,
    f.decided_by = $by,
    f.decided_at = localdatetime($at)
CREATE (e:FlagEvent {event_id: $event_id, seq: $seq, at: localdatetime($at), by: $by,
                     kind: 'decision', from_status: $from_status, to_status: $to_status,
                     reason: $reason, action: $action, owner: $owner,
                     due_date: CASE WHEN $due_date IS NULL THEN null ELSE date($due_date) END})
       -[:ON]->(f)
RETURN f.status AS status
