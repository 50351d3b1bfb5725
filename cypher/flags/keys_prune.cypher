// Removes the KEYED links of flags to keys they no longer concern (flags/keys_set wrote the
// current ones). One row per flag: flag_id, concerned_keys.
// neo4j replan: skip
UNWIND $rows AS row
MATCH (f:Flag {flag_id: row.flag_id})-[old:KEYED]->(k)
WHERE NOT k.key IN row.concerned_keys
DELETE old
RETURN count(*) AS removed
