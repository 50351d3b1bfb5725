// Returns phones whose number (digits, +44 as 0) begins with $number, with the people using them.
// Why: officers search a number as given to them, whole or its first digits.
MATCH (ph:Phone)
WHERE ph.number STARTS WITH $number
OPTIONAL MATCH (p:Person)-[:ASSOCIATED_WITH]->(ph)
WITH ph, collect(DISTINCT coalesce(p.given_name + ' ', '') + coalesce(p.family_name, '')) AS users
RETURN ph.number AS number, users
ORDER BY size(ph.number), ph.number
LIMIT $limit
