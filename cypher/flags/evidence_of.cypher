// The evidence of the given flags, one row per flag: what an incremental run compares the
// changed children of a hub flag with, before it decides to read the hub again
// (graphsvc/rules/hubs.py).
// neo4j replan: skip
UNWIND $flag_ids AS id
MATCH (f:Flag {flag_id: id})
RETURN f.flag_id AS flag_id, f.evidence_json AS evidence_json
