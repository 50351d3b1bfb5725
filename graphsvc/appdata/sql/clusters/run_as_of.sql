-- The date a stored clustering scored its clusters as of.
SELECT as_of FROM cluster_runs WHERE run_id = :run_id;
