-- The cluster ids of a clustering, best first.
SELECT cluster_id FROM cluster_snapshots WHERE run_id = :run_id ORDER BY rank;
