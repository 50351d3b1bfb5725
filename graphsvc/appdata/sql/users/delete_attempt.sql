-- Removes one counted attempt (the password was right).
DELETE FROM sign_in_attempts WHERE id = :id;
