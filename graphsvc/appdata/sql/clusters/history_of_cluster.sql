-- What happened to one cluster or involved it (:related is a LIKE pattern on the related ids), newest first.
SELECT * FROM cluster_history WHERE cluster_id = :cluster_id OR related_json LIKE :related
ORDER BY event_id DESC LIMIT :limit;
