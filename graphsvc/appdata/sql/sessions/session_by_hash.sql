-- The user, times and graph bookmarks (JSON list, or NULL) of a live session.
SELECT user_id, started_at, seen_at, bookmarks FROM sessions WHERE id_hash = :id_hash;
