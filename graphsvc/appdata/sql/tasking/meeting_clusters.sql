-- A meeting's copy of the clusters: each cluster's members (JSON).
SELECT cluster_id, members_json FROM tasking_meeting_clusters WHERE meeting_id = :meeting_id;
