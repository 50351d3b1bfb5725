-- Ends every session of a user (signed out everywhere, disabled, new password).
DELETE FROM sessions WHERE user_id = :user_id;
