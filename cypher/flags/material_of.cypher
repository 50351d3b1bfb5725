// The material keys of the given flags (those an incremental run found with other content than
// stored: graphsvc/flags/lifecycle.py compares them to tell what grew). One row per flag.
// neo4j replan: skip
UNWIND $flag_ids AS id
MATCH (f:Flag {flag_id: id})
RETURN f.flag_id AS flag_id, f.material_keys AS material_keys
