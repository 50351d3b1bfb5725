-- Replaces the list of who attends a meeting (JSON).
UPDATE tasking_meetings SET attendees = :attendees WHERE meeting_id = :meeting_id;
