-- Stores one cluster of a clustering (its JSON for the board, its rank and score as columns).
INSERT INTO cluster_snapshots (run_id, cluster_id, rank, score, severity, flag_count,
                               entity_count, data_json)
VALUES (:run_id, :cluster_id, :rank, :score, :severity, :flag_count, :entity_count, :data_json);
