-- Removes a revoked token so its name can be issued again.
DELETE FROM api_tokens WHERE lower(name) = lower(:name) AND revoked_at IS NOT NULL;
