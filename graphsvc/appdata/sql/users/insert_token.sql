-- Stores a new API token (its SHA-256 only).
INSERT INTO api_tokens (name, role, token_hash, created_at, created_by)
VALUES (:name, :role, :token_hash, :now, :by);
