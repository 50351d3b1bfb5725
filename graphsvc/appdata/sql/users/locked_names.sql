-- Names locked from every address they have never signed in from.
SELECT name, count(*) AS n, min(at) AS first, max(at) AS last FROM sign_in_attempts
WHERE at > :since GROUP BY name HAVING count(*) >= :limit;
