// Records the end of one rule run: counts of rows and flags, and the error if it failed.
MATCH (r:JobRun {run_id: $run_id})
SET r.ended_at = localdatetime($at), r.status = $status, r.rows = $rows,
    r.flags_new = $flags_new, r.flags_updated = $flags_updated,
    r.flags_resolved = $flags_resolved, r.flags_reopened = $flags_reopened, r.error = $error
RETURN r.run_id AS run_id
