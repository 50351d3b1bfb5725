-- What ranks the clusters of a clustering: score, severity and first member (the tie-break).
SELECT s.cluster_id, s.score, s.severity, min(m.member) AS first_member
FROM cluster_snapshots s
JOIN cluster_members m ON m.run_id = s.run_id AND m.cluster_id = s.cluster_id
WHERE s.run_id = :run_id
GROUP BY s.cluster_id, s.score, s.severity;
