-- Sets one cluster's rank in a stored clustering.
UPDATE cluster_snapshots SET rank = :rank WHERE run_id = :run_id AND cluster_id = :cluster_id;
