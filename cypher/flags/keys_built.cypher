// Whether the flags of this graph are keyed (flags/keys_set): flags stored before the keys
// existed are keyed once, by the first incremental run (graphsvc/flags/keys.py).
MATCH (m:FlagKeysBuilt)
RETURN count(m) AS built
