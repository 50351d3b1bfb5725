// Returns the address with this address_id (at most one row), with the fields the address check
// shows. Why: the address check resolves a query to one address before it looks around it.
MATCH (a:Address {address_id: $address_id})
RETURN a.address_id AS address_id, a.uprn AS uprn, a.line1 AS line1, a.line2 AS line2,
       a.town AS town, a.postcode AS postcode, a.address_type AS address_type,
       a.latitude AS latitude, a.longitude AS longitude
