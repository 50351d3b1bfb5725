-- Every cluster of a clustering as stored, best first.
SELECT cluster_id, rank, score, data_json FROM cluster_snapshots WHERE run_id = :run_id
ORDER BY rank;
