-- Ends one session (sign-out).
DELETE FROM sessions WHERE id_hash = :id_hash;
