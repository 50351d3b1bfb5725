-- The stored clusters of a clustering whose ids are in :ids (a JSON array), in no order.
SELECT cluster_id, rank, score, data_json FROM cluster_snapshots
WHERE run_id = :run_id
  AND cluster_id IN (SELECT jsonb_array_elements_text(CAST(:ids AS jsonb)));
