// Records that every flag of this graph is keyed (graphsvc/flags/keys.py).
MERGE (m:FlagKeysBuilt {name: 'flag keys'})
RETURN count(m) AS marked
