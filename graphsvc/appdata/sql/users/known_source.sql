-- 1 when this name has signed in from this address before.
SELECT 1 FROM sign_in_known WHERE lower(name) = lower(:name) AND source = :source;
