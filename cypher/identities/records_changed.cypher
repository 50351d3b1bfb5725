// Returns the records imported or changed after $since (a local datetime), in the columns of
// identities/records.
// Why: after an import only new and changed records are compared; the rest come from the
// linkage run's saved copy.
MATCH (p:Person)
WHERE p.updated_at > localdatetime($since)
OPTIONAL MATCH (p)-[:RESIDES_AT]->(a:Address)
WITH p, collect(DISTINCT a.postcode) AS postcodes
RETURN p.person_id AS person_id, p.source AS source, p.given_name AS given_name,
       p.family_name AS family_name, p.aliases AS aliases,
       toString(p.date_of_birth) AS date_of_birth, p.gender AS gender, p.pnc_id AS pnc_id,
       postcodes, toString(p.updated_at) AS updated_at
