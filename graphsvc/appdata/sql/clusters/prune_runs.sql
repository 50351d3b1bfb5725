-- Deletes all but the latest :keep clusterings (their snapshots and members go with them; history stays).
DELETE FROM cluster_runs WHERE run_id NOT IN
    (SELECT run_id FROM cluster_runs ORDER BY run_id DESC LIMIT :keep);
