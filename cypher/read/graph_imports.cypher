// Returns one row {imports}: how many imports have finished on this graph (null before the first).
// Why: part of the version of every in-memory cache of the graph (graphsvc/search/index.py), so
// a cache read during an import is rebuilt once the import has finished.
MATCH (g:GraphState)
RETURN max(g.imports) AS imports
