// Returns the listed person records with the fields an officer compares side by side.
// Why: `identities decide` checks both ids exist; the review queue shows pairs side by side.
UNWIND $ids AS id
MATCH (p:Person {person_id: id})
RETURN p.person_id AS person_id, p.source AS source, p.source_ref AS source_ref,
       p.given_name AS given_name, p.family_name AS family_name, p.aliases AS aliases,
       p.date_of_birth AS date_of_birth, p.gender AS gender, p.pnc_id AS pnc_id,
       p.identity_key AS identity_key, 'Offender' IN labels(p) AS offender
