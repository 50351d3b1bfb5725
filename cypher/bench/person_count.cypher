// How many people the graph holds: the benchmarks reuse a county already imported.
MATCH (p:Person)
RETURN count(p) AS people
