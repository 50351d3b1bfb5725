// Returns the addresses within $within_m metres of a WGS84 point, nearest first, up to $limit,
// with their distance. Why: a caller's location resolves to the address officers go to.
MATCH (a:Address)
WHERE point.distance(a.location, point({latitude: $lat, longitude: $lon})) <= $within_m
WITH a, point.distance(a.location, point({latitude: $lat, longitude: $lon})) AS distance_m
RETURN a.address_id AS address_id, a.uprn AS uprn, a.line1 AS line1, a.line2 AS line2,
       a.town AS town, a.postcode AS postcode, a.address_type AS address_type,
       a.latitude AS latitude, a.longitude AS longitude, distance_m
ORDER BY distance_m, address_id
LIMIT $limit
