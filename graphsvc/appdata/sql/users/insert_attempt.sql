-- Counts one sign-in attempt (removed again when the password is right); returns its id.
INSERT INTO sign_in_attempts (name, source, at) VALUES (:name, :source, :at) RETURNING id;
