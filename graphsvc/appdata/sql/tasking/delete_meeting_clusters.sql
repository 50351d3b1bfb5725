-- Drops a meeting's copy of the clusters (before it is taken again).
DELETE FROM tasking_meeting_clusters WHERE meeting_id = :meeting_id;
