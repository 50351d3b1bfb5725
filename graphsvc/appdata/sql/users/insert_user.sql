-- Adds a user and returns its id (a taken name breaks the unique index).
INSERT INTO users (name, role, password_hash, created_at, password_changed_at)
VALUES (:name, :role, :password_hash, :now, :now)
RETURNING id;
