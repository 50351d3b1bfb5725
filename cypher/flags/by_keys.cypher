// The flags of one rule that concern any of the given `label_key=value` keys (their identity or
// concerned keys), with what the runner compares (as flags/by_rule returns for every flag, but
// not the concerned keys: each flag returned concerns one of the keys already; nor the material
// keys, read by flags/material_of for the flags found with other content only: a hub's lists of
// children and concerns are long and mostly unchanged): an incremental run reads only the
// flags its change can meet, so its cost follows the change and not the number of flags the
// rule has raised.
// Each flag is keyed by FlagKey nodes, one per key string (flags/keys_set), not through its
// CONCERNS links: a deleted record has lost its links, and the flags that concerned it must
// still be found. The rule is tested after the walk, so the read starts from the keys' index.
// neo4j replan: skip
UNWIND $keys AS key
MATCH (:FlagKey {key: key})<-[:KEYED]-(f)
WITH DISTINCT f
WHERE f.rule_id = $rule_id
RETURN f.flag_id AS flag_id, f.status AS status, f.severity AS severity,
       f.concerns_hash AS concerns_hash, f.content_hash AS content_hash,
       f.entity_keys AS entity_keys
