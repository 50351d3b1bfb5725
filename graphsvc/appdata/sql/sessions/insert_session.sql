-- Starts a session (the id's SHA-256 only; the id itself is in the cookie).
INSERT INTO sessions (id_hash, user_id, started_at, seen_at, source)
VALUES (:id_hash, :user_id, :now, :now, :source);
