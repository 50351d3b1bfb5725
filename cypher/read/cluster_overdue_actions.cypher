// Returns actioned flags whose latest decision set an action with a due date before $as_of
// (an ISO date), most overdue first: the tasking board lists them at the top.
MATCH (ev:FlagEvent)-[:ON]->(f:Flag)
WHERE f.status = 'actioned' AND ev.kind = 'decision'
WITH f, ev
ORDER BY ev.at DESC, ev.seq DESC
WITH f, head(collect(ev)) AS last
WHERE last.action IS NOT NULL AND last.due_date IS NOT NULL AND last.due_date < date($as_of)
RETURN f.flag_id AS flag_id, f.rule_id AS rule_id, f.severity AS severity, f.summary AS summary,
       last.action AS action, last.owner AS owner, last.due_date AS due_date,
       last.at AS decided_at, last.by AS decided_by
ORDER BY due_date, flag_id
