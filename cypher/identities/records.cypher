// Returns the records linkage compares: id, source, names, aliases, date of birth as text,
// gender, PNC id, postcodes of the addresses the record lives or stays at, and updated_at.
// Why: `identities resolve` hands these to Splink; linking never changes them.
MATCH (p:Person)
OPTIONAL MATCH (p)-[:RESIDES_AT]->(a:Address)
WITH p, collect(DISTINCT a.postcode) AS postcodes
RETURN p.person_id AS person_id, p.source AS source, p.given_name AS given_name,
       p.family_name AS family_name, p.aliases AS aliases,
       toString(p.date_of_birth) AS date_of_birth, p.gender AS gender, p.pnc_id AS pnc_id,
       postcodes, toString(p.updated_at) AS updated_at
