-- The ids of a meeting's agenda items not removed, in order.
SELECT item_id FROM tasking_agenda_items WHERE meeting_id = :meeting_id AND removed_at IS NULL
ORDER BY position, item_id;
