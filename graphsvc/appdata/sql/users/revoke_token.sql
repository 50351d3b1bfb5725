-- Revokes a live token; no row changed means there was none of that name.
UPDATE api_tokens SET revoked_at = :now WHERE lower(name) = lower(:name) AND revoked_at IS NULL;
