-- Moves an agenda item to a position.
UPDATE tasking_agenda_items SET position = :position WHERE item_id = :item_id;
