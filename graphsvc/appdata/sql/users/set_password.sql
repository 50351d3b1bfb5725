-- Stores a new password hash and moves the epoch on (every session of the user ends).
UPDATE users SET password_hash = :password_hash, password_changed_at = :now, epoch = epoch + 1
WHERE id = :id;
