-- Takes a lease that is free or has run out, or renews one this holder has; returns the
-- holder when it is ours now (no row: someone else holds it).
INSERT INTO leases (name, holder, acquired_at, expires_at) VALUES (:name, :holder, :now, :expires)
ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
    acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at
                       ELSE excluded.acquired_at END
WHERE leases.holder = excluded.holder OR leases.expires_at < excluded.acquired_at
RETURNING holder;
