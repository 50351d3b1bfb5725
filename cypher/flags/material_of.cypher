// The material keys of the given flags (by flag_id), one row per flag found.
UNWIND $flag_ids AS id
MATCH (f:Flag {flag_id: id})
RETURN f.flag_id AS flag_id, f.material_keys AS material_keys
