-- Remembers that a name signed in from this address (the name-wide limit spares it).
INSERT INTO sign_in_known (name, source, at) VALUES (:name, :source, :at)
ON CONFLICT (lower(name), source) DO UPDATE SET at = excluded.at;
