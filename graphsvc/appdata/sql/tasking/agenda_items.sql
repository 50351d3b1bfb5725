-- A meeting's agenda items in order (removed ones included).
SELECT * FROM tasking_agenda_items WHERE meeting_id = :meeting_id ORDER BY position, item_id;
