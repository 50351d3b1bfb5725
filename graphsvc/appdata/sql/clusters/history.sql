-- What happened to clusters, newest first.
SELECT * FROM cluster_history ORDER BY event_id DESC LIMIT :limit;
