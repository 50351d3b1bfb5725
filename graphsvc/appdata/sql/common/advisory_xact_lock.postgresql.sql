-- Waits for, then holds until the transaction ends, the advisory lock with this key.
SELECT pg_advisory_xact_lock(:key);
