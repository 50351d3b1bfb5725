-- Puts a removed agenda item back.
UPDATE tasking_agenda_items SET removed_at = NULL WHERE item_id = :item_id;
