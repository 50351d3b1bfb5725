-- The position of a meeting's last agenda item (0 when it has none).
SELECT coalesce(max(position), 0) AS position FROM tasking_agenda_items
WHERE meeting_id = :meeting_id;
