// Returns every address with coordinates where a registered offender has, or had, a residence
// of any type or period, under the register record or a record linked to it (SAME_AS, one
// identity_key), once each. Why: the address check narrows "offenders within the radius" to
// these few addresses in memory, then measures them exactly in the graph.
MATCH (o:Offender)
WITH o, o.identity_key AS key
OPTIONAL MATCH (linked:Person {identity_key: key})
WITH coalesce(linked, o) AS p
MATCH (p)-[:RESIDES_AT]->(h:Address)
WHERE h.latitude IS NOT NULL AND h.longitude IS NOT NULL AND h.location IS NOT NULL
RETURN DISTINCT h.address_id AS address_id, h.latitude AS latitude, h.longitude AS longitude
