-- The latest clustering's run record: when, as of, counts, time taken.
SELECT * FROM cluster_runs ORDER BY run_id DESC LIMIT 1;
