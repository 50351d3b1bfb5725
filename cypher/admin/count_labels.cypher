// Node counts by label, for `graphsvc status` (records, flags and runs: not the GraphState node,
// which only counts finished imports).
MATCH (n)
WHERE NOT n:GraphState
UNWIND labels(n) AS label
RETURN label, count(*) AS count
ORDER BY label
