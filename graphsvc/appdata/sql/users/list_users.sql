-- Every user, by name, for the administrators' page and the CLI.
SELECT * FROM users ORDER BY name;
