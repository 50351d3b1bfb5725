-- Opens a meeting; returns its id.
INSERT INTO tasking_meetings (held_on, chair, attendees, opened_at, opened_by)
VALUES (:held_on, :chair, :attendees, :opened_at, :opened_by)
RETURNING meeting_id;
