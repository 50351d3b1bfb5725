// Every run of one rule, oldest first (run history; the scheduler test checks none overlap).
MATCH (r:JobRun)
WHERE r.rule_id = $rule_id
RETURN r AS run
ORDER BY r.started_at, r.started_ns, r.run_id
