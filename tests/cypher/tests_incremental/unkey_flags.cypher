// Tests only: removes every flag key and the mark that flags are keyed, as in a graph written
// before flags had keys (graphsvc/flags/keys.py). Returns nothing.
MATCH (n)
WHERE n:FlagKey OR n:FlagKeysBuilt
DETACH DELETE n
