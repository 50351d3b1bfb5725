// Returns the records imported or changed at or after $since (a local datetime), and those with a
// residence imported or changed since (a move is new evidence: postcodes are compared), in the
// columns of identities/records; updated_at is the later of the record's and its residences'.
// Why: after an import only new and changed records are compared; the rest come from the
// linkage run's saved copy.
MATCH (p:Person)
WHERE p.updated_at >= localdatetime($since)
WITH collect(p) AS changed
OPTIONAL MATCH (moved:Person)-[r:RESIDES_AT]->(:Address)
WHERE r.updated_at >= localdatetime($since)
WITH changed, collect(DISTINCT moved) AS movers
UNWIND changed + movers AS p
WITH DISTINCT p
OPTIONAL MATCH (p)-[r:RESIDES_AT]->(a:Address)
WITH p, collect(DISTINCT a.postcode) AS postcodes, max(r.updated_at) AS moved_at
RETURN p.person_id AS person_id, p.source AS source, p.given_name AS given_name,
       p.family_name AS family_name, p.aliases AS aliases,
       toString(p.date_of_birth) AS date_of_birth, p.gender AS gender, p.pnc_id AS pnc_id,
       postcodes,
       toString(CASE WHEN moved_at > p.updated_at THEN moved_at ELSE p.updated_at END)
         AS updated_at
