-- Source addresses locked whatever the name.
SELECT source, count(*) AS n, min(at) AS first, max(at) AS last FROM sign_in_attempts
WHERE at > :since GROUP BY source HAVING count(*) >= :limit;
