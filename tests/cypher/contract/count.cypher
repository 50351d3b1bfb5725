// Store contract: how many batch nodes exist.
MATCH (n:Person)
RETURN count(n) AS c
