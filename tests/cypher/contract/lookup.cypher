// Store contract: one batch node by key.
MATCH (n:Person {person_id: $k})
RETURN n.v AS v
