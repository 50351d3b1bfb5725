// Returns every address with coordinates where a registered offender has, or had, a home or a
// notified stay, under the register record or a record linked to it (SAME_AS, one
// identity_key), once each, with the periods of those residences ([start_date, end_date], either
// null when open). Why: the address check narrows "offenders within the radius" to these few
// addresses in memory, and to those lived in on the day it is for, then reads them in the graph.
MATCH (o:Offender)
WITH o, o.identity_key AS key
OPTIONAL MATCH (linked:Person {identity_key: key})
WITH coalesce(linked, o) AS p
MATCH (p)-[r:RESIDES_AT]->(h:Address)
WHERE h.latitude IS NOT NULL AND h.longitude IS NOT NULL AND h.location IS NOT NULL
  AND r.residence_type IN ['home', 'notified_stay']
RETURN h.address_id AS address_id, h.latitude AS latitude, h.longitude AS longitude,
  collect(DISTINCT [r.start_date, r.end_date]) AS periods
