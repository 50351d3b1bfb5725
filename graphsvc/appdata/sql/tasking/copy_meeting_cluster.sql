-- Copies one cluster of a clustering into a meeting, with its members (JSON).
INSERT INTO tasking_meeting_clusters (meeting_id, cluster_id, rank, score, members_json)
SELECT :meeting_id, cluster_id, rank, score, :members_json FROM cluster_snapshots
WHERE run_id = :run_id AND cluster_id = :cluster_id;
