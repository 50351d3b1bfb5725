-- The meeting closed last (what the board's "new or changed" refers to).
SELECT * FROM tasking_meetings WHERE closed_at IS NOT NULL
ORDER BY closed_at DESC, meeting_id DESC LIMIT 1;
