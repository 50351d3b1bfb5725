-- Every decision taken on a cluster's flags under its id, newest first.
SELECT * FROM tasking_decisions WHERE cluster_id = :cluster_id ORDER BY decision_id DESC;
