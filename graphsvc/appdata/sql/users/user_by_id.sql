-- One user by id, for the session and token checks of every request.
SELECT * FROM users WHERE id = :id;
