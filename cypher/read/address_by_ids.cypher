// Returns the addresses with these address_ids, in no particular order. Why: candidates found
// by the in-memory address search need their display fields.
MATCH (a:Address)
WHERE a.address_id IN $address_ids
RETURN a.address_id AS address_id, a.uprn AS uprn, a.line1 AS line1, a.line2 AS line2,
       a.town AS town, a.postcode AS postcode, a.address_type AS address_type,
       a.latitude AS latitude, a.longitude AS longitude
