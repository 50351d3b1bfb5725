-- The stored clusters of a clustering whose ids are in :ids (a JSON array), in no order.
SELECT cluster_id, rank, score, data_json FROM cluster_snapshots
WHERE run_id = :run_id AND cluster_id IN (SELECT value FROM json_each(:ids));
