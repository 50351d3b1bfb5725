-- Who holds a lease that has not run out, and until when.
SELECT holder, expires_at FROM leases WHERE name = :name AND expires_at >= :now;
