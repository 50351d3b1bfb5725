// Records the start of one rule run as a JobRun node (status `running`). `started_ns` (the
// wall clock in nanoseconds) orders runs that start within the same second.
CREATE (r:JobRun {run_id: $run_id, rule_id: $rule_id, as_of: date($as_of),
                  started_at: localdatetime($at), started_ns: $started_ns,
                  status: 'running', params_json: $params_json,
                  trigger: $trigger})
RETURN r.run_id AS run_id
