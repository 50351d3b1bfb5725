-- Disables or re-enables a user; the epoch moves on so older sessions no longer count.
UPDATE users SET disabled = :disabled, epoch = epoch + 1 WHERE id = :id;
