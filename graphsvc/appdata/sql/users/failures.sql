-- Failed sign-ins since a time and the latest of them, of a name and/or from a source address
-- (an empty one matches any): the lock-out and its back-off are worked out from these.
SELECT count(*) AS n, max(at) AS last FROM sign_in_attempts
WHERE at > :since AND (:name = '' OR lower(name) = lower(:name))
  AND (:source = '' OR source = :source);
