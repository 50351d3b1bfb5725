-- Records what happened to a cluster (new, changed, split, merged, closed).
INSERT INTO cluster_history (run_id, at, cluster_id, kind, note, related_json)
VALUES (:run_id, :at, :cluster_id, :kind, :note, :related_json);
