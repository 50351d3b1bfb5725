// Store contract: returns whole nodes and relationships, which must come back as plain dicts.
MATCH (n:Person)
RETURN n
ORDER BY n.person_id
LIMIT 2
