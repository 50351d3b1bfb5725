// family: flaggable
// Returns, for each __Label__ whose __key__ is in $keys, the records of the labels $labels that
// it is linked to as the graph holds them now, once each (the label and the record's
// properties). Why: a row that rewrites a record may move it (a placement or an incident to
// another address, an order to another person); an import that collects its change set tells
// the incremental rule run of the record it leaves as well as the one it goes to
// (graphsvc/importer/write.py).
UNWIND $keys AS key
MATCH (n:__Label__ {__key__: key})--(m)
WITH DISTINCT m, [label IN labels(m) WHERE label IN $labels] AS named
WHERE size(named) > 0
RETURN named[0] AS label, properties(m) AS props
