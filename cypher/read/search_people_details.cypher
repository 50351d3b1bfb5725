// Returns what a search result shows of each person asked for (by person_id), in any order:
// name, birth date, offender marker and the current home (the latest open home residence).
// Why: the in-memory index holds only name keys; names, birth dates and risk come from the graph.
UNWIND $person_ids AS wanted
MATCH (p:Person {person_id: wanted})
OPTIONAL MATCH (p)-[r:RESIDES_AT]->(a:Address)
WHERE r.end_date IS NULL AND coalesce(r.residence_type, 'home') = 'home'
WITH p, a, r
ORDER BY r.start_date DESC
WITH p, collect(a)[0] AS home
RETURN p.person_id AS person_id, p.given_name AS given_name, p.family_name AS family_name,
       p.aliases AS aliases, p.date_of_birth AS date_of_birth, p.gender AS gender,
       p.pnc_id AS pnc_id, p.source AS source, p:Offender AS offender, p.rosh_level AS rosh_level,
       home.address_id AS home_id, home.line1 AS home_line1, home.town AS home_town,
       home.postcode AS home_postcode
