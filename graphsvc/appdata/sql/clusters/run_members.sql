-- The members of every cluster of a clustering.
SELECT cluster_id, member FROM cluster_members WHERE run_id = :run_id;
