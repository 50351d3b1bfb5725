// Counts one more finished import on the graph's one GraphState node (created by the first),
// with the time it finished. Returns nothing.
// Why: the caches of the address check and the search compare a version of what they hold;
// rows an import updates in the same second as a version read leave counts and newest times
// as they were, so the count of finished imports is part of every version (graphsvc/search/index.py).
MERGE (g:GraphState {name: 'graph'})
SET g.imports = coalesce(g.imports, 0) + 1,
    g.updated_at = localdatetime($now)
