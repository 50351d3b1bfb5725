// family: flaggable
// Returns one row {same, changed}: the positions ($rows: {at, key, row_hash}) of rows whose
// __Label__ the graph already holds with the same fingerprint (same) or another (changed).
// Why: `graphsvc import` skips unchanged rows (they change nothing, so an incremental rule run
// is not told of them) and writes records the graph does not hold yet through the cheaper
// statement; lists of positions keep the answer small.
// neo4j replan: skip
UNWIND $rows AS row
MATCH (n:__Label__ {__key__: row.__key__})
WITH row.at AS at, coalesce(n.row_hash = row.row_hash, false) AS same
RETURN collect(CASE WHEN same THEN at END) AS same,
  collect(CASE WHEN same THEN null ELSE at END) AS changed
