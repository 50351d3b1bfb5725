-- Records that a session was used now.
UPDATE sessions SET seen_at = :now WHERE id_hash = :id_hash;
