-- Removes one cluster from a stored clustering (re-clustered after a decision).
DELETE FROM cluster_snapshots WHERE run_id = :run_id AND cluster_id = :cluster_id;
