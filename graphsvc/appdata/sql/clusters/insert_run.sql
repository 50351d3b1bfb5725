-- Records a clustering; returns its run id.
INSERT INTO cluster_runs (computed_at, as_of, flags, clusters, seconds)
VALUES (:computed_at, :as_of, :flags, :clusters, :seconds)
RETURNING run_id;
