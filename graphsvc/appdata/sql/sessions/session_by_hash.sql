-- The user and times of a live session.
SELECT user_id, started_at, seen_at FROM sessions WHERE id_hash = :id_hash;
