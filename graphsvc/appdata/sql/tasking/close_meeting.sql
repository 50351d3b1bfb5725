-- Closes a meeting.
UPDATE tasking_meetings SET closed_at = :closed_at, closed_by = :closed_by
WHERE meeting_id = :meeting_id;
