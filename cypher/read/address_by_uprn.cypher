// Returns the addresses with this UPRN (normally one), up to $limit, ordered by address_id.
// Why: a control room system often knows the UPRN of the address it is sending officers to.
MATCH (a:Address)
WHERE a.uprn = $uprn
RETURN a.address_id AS address_id, a.uprn AS uprn, a.line1 AS line1, a.line2 AS line2,
       a.town AS town, a.postcode AS postcode, a.address_type AS address_type,
       a.latitude AS latitude, a.longitude AS longitude
ORDER BY address_id
LIMIT $limit
