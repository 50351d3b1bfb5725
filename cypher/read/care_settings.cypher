// Returns every care setting (an address whose type is one of $types: children's homes, foster
// homes, ...) with coordinates: its id, type and location. Why: the address check keeps
// these few hundred in memory to draw those near an address on its picture.
MATCH (a:Address)
WHERE a.address_type IN $types
  AND a.latitude IS NOT NULL AND a.longitude IS NOT NULL
RETURN a.address_id AS address_id, a.address_type AS address_type, a.latitude AS latitude,
       a.longitude AS longitude
