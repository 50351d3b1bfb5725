-- A meeting's decisions in order, each with the flag in words as it stood (the minutes).
SELECT d.*, c.subject, c.address, c.rule_title, c.summary, c.chair
FROM tasking_decisions d
LEFT JOIN tasking_decision_context c ON c.decision_id = d.decision_id
WHERE d.meeting_id = :meeting_id ORDER BY d.decision_id;
