// family: flaggable
// Links flags to the __Label__ nodes they concern, with the entity's role in the concern
// (one row per flag, entity and role). Flags and entities that do not exist are skipped.
// neo4j replan: skip
UNWIND $rows AS row
MATCH (f:Flag {flag_id: row.flag_id})
MATCH (e:__Label__ {__key__: row.key})
MERGE (f)-[c:CONCERNS {role: row.role}]->(e)
SET c.entity_key = row.entity_key, c.run_id = $run_id
RETURN count(c) AS linked
