// Returns phones whose number (digits, +44 as 0) begins with $number, with the people linked to
// each and how (the association's own relation: uses_phone, seen_with...).
// Why: officers search a number as given to them, whole or its first digits.
MATCH (ph:Phone)
WHERE ph.number STARTS WITH $number
OPTIONAL MATCH (p:Person)-[r:ASSOCIATED_WITH]->(ph)
WITH ph, collect(DISTINCT {name: coalesce(p.given_name + ' ', '') + coalesce(p.family_name, ''),
                           relation: r.relation}) AS users
RETURN ph.number AS number, users
ORDER BY size(ph.number), ph.number
LIMIT $limit
