-- One cluster of a clustering as stored (no row when it is not in it).
SELECT cluster_id, rank, score, data_json FROM cluster_snapshots
WHERE run_id = :run_id AND cluster_id = :cluster_id;
