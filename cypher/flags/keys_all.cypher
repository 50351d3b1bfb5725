// Every flag's id and concerned keys, to key the flags stored before keys existed (once).
MATCH (f:Flag)
RETURN f.flag_id AS flag_id, coalesce(f.concerned_keys, f.entity_keys, []) AS concerned_keys
