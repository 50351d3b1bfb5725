-- Adds an item to a meeting's agenda; returns its id.
INSERT INTO tasking_agenda_items (meeting_id, position, cluster_id, why, carried_from,
    flags_json, added_by, added_at, reviewed_at)
VALUES (:meeting_id, :position, :cluster_id, :why, :carried_from, :flags_json, :added_by,
    :added_at, :reviewed_at)
RETURNING item_id;
