-- One user by name, compared without regard to case.
SELECT * FROM users WHERE lower(name) = lower(:name);
