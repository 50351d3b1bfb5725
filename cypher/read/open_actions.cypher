// Returns every action agreed on a flag that is still outstanding (flag actioned, its latest
// decision set an action), with its owner and due date, soonest due first, for the tasking
// actions page; $owner (text, or null for everyone) keeps one owner's, case-insensitively.
MATCH (f:Flag)
WHERE f.status = 'actioned' AND f.action IS NOT NULL
  AND ($owner IS NULL OR toLower(f.owner) = toLower($owner))
RETURN f.flag_id AS flag_id, f.rule_id AS rule_id, f.severity AS severity,
       f.action AS action, f.owner AS owner, f.due_date AS due_date,
       f.decided_by AS decided_by, f.decided_at AS decided_at
ORDER BY due_date, flag_id
