-- Stores one member (a flag or an entity) of a cluster of a clustering.
INSERT INTO cluster_members (run_id, cluster_id, member) VALUES (:run_id, :cluster_id, :member);
