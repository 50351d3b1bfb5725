-- Names locked at one source address: failures in the window at or over the limit.
SELECT name, source, count(*) AS n, min(at) AS first, max(at) AS last FROM sign_in_attempts
WHERE at > :since GROUP BY name, source HAVING count(*) >= :limit;
