-- Marks an agenda item removed (it stays in the record); the row count says whether there was one.
UPDATE tasking_agenda_items SET removed_at = :removed_at
WHERE meeting_id = :meeting_id AND item_id = :item_id;
