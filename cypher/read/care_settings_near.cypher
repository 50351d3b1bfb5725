// Returns the care settings (children's homes, secure homes, foster homes, supported
// accommodation) within $within_m metres of a WGS84 point, nearest first, up to $limit, with
// their type, coordinates and distance. Why: the address check's picture of the surroundings
// shows where looked-after children live around the address.
MATCH (a:Address)
WHERE a.address_type IN $types
  AND point.distance(a.location, point({latitude: $lat, longitude: $lon})) <= $within_m
WITH a, point.distance(a.location, point({latitude: $lat, longitude: $lon})) AS distance_m
RETURN a.address_id AS address_id, a.address_type AS address_type, a.latitude AS latitude,
       a.longitude AS longitude, distance_m
ORDER BY distance_m, address_id
LIMIT $limit
