-- Moves the chain head to the entry just appended (same transaction as the append).
UPDATE audit_head SET seq = :seq, hash = :hash WHERE one = 1;
