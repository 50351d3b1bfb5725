-- Removes one cluster's members from a stored clustering (re-clustered after a decision).
DELETE FROM cluster_members WHERE run_id = :run_id AND cluster_id = :cluster_id;
