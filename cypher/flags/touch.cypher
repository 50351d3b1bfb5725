// Records that one rule run found these flags again exactly as they are stored (the runner
// compared their content hash, graphsvc/flags/lifecycle.py): their last sighting, date and run
// only; their evidence, keys and CONCERNS links stand. Returns how many rows were written.
// neo4j replan: skip
UNWIND $rows AS row
MATCH (f:Flag {flag_id: row.flag_id})
SET f.last_seen = localdatetime($at),
    f.as_of = date($as_of),
    f.last_run_id = $run_id
RETURN count(f) AS written
