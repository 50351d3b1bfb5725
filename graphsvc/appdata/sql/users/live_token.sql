-- The live token whose secret has this SHA-256, if any (every API call).
SELECT * FROM api_tokens WHERE token_hash = :token_hash AND revoked_at IS NULL;
