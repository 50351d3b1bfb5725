// Benchmark only: one person by business key, the shape of every point lookup.
MATCH (p:Person {person_id: $person_id})
RETURN p.given_name AS given_name, p.family_name AS family_name, p.date_of_birth AS born
