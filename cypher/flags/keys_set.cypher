// Keys each flag by its concerned keys (its identity and the keys of what it concerns): a
// FlagKey node per key string and a KEYED link to it, so that an incremental run finds the
// flags a change can meet by index (flags/by_keys). One row per flag: flag_id, concerned_keys.
// neo4j replan: skip
UNWIND $rows AS row
MATCH (f:Flag {flag_id: row.flag_id})
UNWIND row.concerned_keys AS key
MERGE (k:FlagKey {key: key})
MERGE (f)-[:KEYED]->(k)
RETURN count(*) AS keyed
