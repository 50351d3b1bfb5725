// Returns every address with coordinates where a registered offender has, or had, a residence
// of any type or period, once each. Why: the address check narrows "offenders within the
// radius" to these few addresses in memory, then measures them exactly in the graph.
MATCH (o:Offender)-[:RESIDES_AT]->(h:Address)
WHERE h.latitude IS NOT NULL AND h.longitude IS NOT NULL AND h.location IS NOT NULL
RETURN DISTINCT h.address_id AS address_id, h.latitude AS latitude, h.longitude AS longitude
