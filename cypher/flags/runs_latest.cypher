// The most recent run of each rule, for `graphsvc jobs list` and the admin page.
MATCH (r:JobRun)
WITH r ORDER BY r.started_at DESC, r.started_ns DESC, r.run_id DESC
WITH r.rule_id AS rule_id, collect(r) AS runs
RETURN rule_id, runs[0] AS run
