// Returns what a search result shows of each person asked for (by person_id), in any order.
// Why: the in-memory index holds only name keys; names, birth dates and risk come from the graph.
UNWIND $person_ids AS wanted
MATCH (p:Person {person_id: wanted})
RETURN p.person_id AS person_id, p.given_name AS given_name, p.family_name AS family_name,
       p.aliases AS aliases, p.date_of_birth AS date_of_birth, p.gender AS gender,
       p.pnc_id AS pnc_id, p:Offender AS offender, p.rosh_level AS rosh_level
