-- Replaces a password hash made with older argon2 parameters (same password).
UPDATE users SET password_hash = :password_hash WHERE id = :id;
