-- The meeting now open, if any (at most one row: a unique index allows one).
SELECT * FROM tasking_meetings WHERE closed_at IS NULL;
