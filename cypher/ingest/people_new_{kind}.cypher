// family: new_person
// Writes people the graph does not hold yet (the import checked just before), with their search
// keys, and links each of their phone numbers (Phone node, ASSOCIATED_WITH {relation:
// 'uses_phone'}). Returns nothing.
// Why: the people file of `graphsvc import` on records new to the graph: what ingest/people would
// write, with every property given as the node is created so its index entries are written once
// (if another writer created one meanwhile, the key's uniqueness refuses the batch). People
// offenders.csv lists are created as Person:Offender (people_new_offender), since FalkorDB 4.16
// re-sorts its whole node-label table for each label set on a stored node (1,529 rows: 8 s).
// neo4j replan: skip
UNWIND $rows AS row
CREATE (p:__Label__ {
  person_id: row.person_id,
  updated_at: localdatetime($now),
  row_hash: row.row_hash,
  given_name: row.given_name,
  family_name: row.family_name,
  aliases: row.aliases,
  date_of_birth: date(row.date_of_birth),
  gender: row.gender,
  pnc_id: row.pnc_id,
  phone_numbers: row.phone_numbers,
  warning_markers: row.warning_markers,
  name_key: row.name_key,
  given_name_key: row.given_name_key,
  family_name_key: row.family_name_key,
  alias_keys: row.alias_keys,
  source: row.source,
  source_ref: row.source_ref
})
FOREACH (number IN coalesce(row.phone_numbers, []) |
  MERGE (phone:Phone {number: number})
  ON CREATE SET phone.source = row.source, phone.source_ref = row.source_ref,
    phone.updated_at = localdatetime($now)
  CREATE (p)-[:ASSOCIATED_WITH {relation: 'uses_phone', source: row.source,
    source_ref: row.source_ref, updated_at: localdatetime($now)}]->(phone)
)
