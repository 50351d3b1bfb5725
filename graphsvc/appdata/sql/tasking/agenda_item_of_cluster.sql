-- A meeting's agenda item for a cluster, removed or not (no row: not on the agenda).
SELECT item_id, removed_at FROM tasking_agenda_items
WHERE meeting_id = :meeting_id AND cluster_id = :cluster_id;
