-- Forgets failed sign-ins of a name and/or a source address (an empty one matches any).
DELETE FROM sign_in_attempts
WHERE (:name = '' OR lower(name) = lower(:name)) AND (:source = '' OR source = :source);
