-- Marks an agenda item reviewed.
UPDATE tasking_agenda_items SET reviewed_at = :reviewed_at WHERE item_id = :item_id;
