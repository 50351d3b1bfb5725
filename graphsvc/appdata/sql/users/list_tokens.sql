-- Every API token, live and revoked, by name.
SELECT * FROM api_tokens ORDER BY name;
