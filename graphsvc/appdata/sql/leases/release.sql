-- Lets go of a lease this holder has (nothing happens if it has lost it).
DELETE FROM leases WHERE name = :name AND holder = :holder;
