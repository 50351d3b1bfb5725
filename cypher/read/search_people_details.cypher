// Returns what a search result shows of each person asked for (by person_id), in any order:
// name, birth date, offender marker, the current home (the latest open home residence), and
// the flags with one of $flag_statuses that concern the person (none when the list is empty),
// as flags/for_entities returns them.
// Why: the in-memory index holds only name keys; names, birth dates and risk come from the graph.
// The flags come in the same statement so that a search page is one round trip fewer on Neo4j
// (each round trip a few ms, tens under load). They are walked from the person and their
// status tested in the list, not in the pattern: FalkorDB 4.16 may otherwise start from the
// Flag status index and walk every flag's links (see flags/for_entities).
UNWIND $person_ids AS wanted
MATCH (p:Person {person_id: wanted})
OPTIONAL MATCH (p)-[r:RESIDES_AT]->(a:Address)
WHERE r.end_date IS NULL AND coalesce(r.residence_type, 'home') = 'home'
WITH p, a, r
ORDER BY r.start_date DESC
WITH p, collect(a)[0] AS home
OPTIONAL MATCH (p)<-[:CONCERNS]-(f)
WITH p, home, collect(DISTINCT f) AS concerning
RETURN p.person_id AS person_id, p.given_name AS given_name, p.family_name AS family_name,
       p.aliases AS aliases, p.date_of_birth AS date_of_birth, p.gender AS gender,
       p.pnc_id AS pnc_id, p.source AS source, p:Offender AS offender, p.rosh_level AS rosh_level,
       home.address_id AS home_id, home.line1 AS home_line1, home.town AS home_town,
       home.postcode AS home_postcode,
       [f IN concerning WHERE f:Flag AND f.status IN $flag_statuses |
        f {.flag_id, .rule_id, .severity, .status, .summary, .entity_keys, .concerned_keys,
           .first_seen, .last_seen, .as_of, .status_changed_at, .last_run_id}] AS flags
