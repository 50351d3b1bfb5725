-- Records one decision on one flag in a meeting's minutes; returns its id.
INSERT INTO tasking_decisions (meeting_id, cluster_id, flag_id, rule_id, scope, from_status,
    status, action, owner, due_date, reason, decided_by, decided_at)
VALUES (:meeting_id, :cluster_id, :flag_id, :rule_id, :scope, :from_status, :status, :action,
    :owner, :due_date, :reason, :decided_by, :decided_at)
RETURNING decision_id;
