-- One API token (live or revoked) by its name.
SELECT * FROM api_tokens WHERE lower(name) = lower(:name);
