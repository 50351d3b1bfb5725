// Returns what a search result shows of each address asked for (by address_id), in any order,
// with the flags with one of $flag_statuses that concern the address, as flags/for_entities
// returns them.
// Why: the in-memory index holds only keys; the address lines and type come from the graph.
// The flags come in the same statement, one round trip fewer (see read/search_people_details).
UNWIND $address_ids AS wanted
MATCH (a:Address {address_id: wanted})
OPTIONAL MATCH (a)<-[:CONCERNS]-(f)
WITH a, collect(DISTINCT f) AS concerning
RETURN a.address_id AS address_id, a.uprn AS uprn, a.line1 AS line1, a.line2 AS line2,
       a.town AS town, a.postcode AS postcode, a.address_type AS address_type,
       [f IN concerning WHERE f:Flag AND f.status IN $flag_statuses |
        f {.flag_id, .rule_id, .severity, .status, .summary, .entity_keys, .concerned_keys,
           .first_seen, .last_seen, .as_of, .status_changed_at, .last_run_id}] AS flags
