-- The id of the latest stored clustering (NULL before the first).
SELECT max(run_id) AS run_id FROM cluster_runs;
