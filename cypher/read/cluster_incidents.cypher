// Returns the incidents that involve a cluster's people, happened at or were found at its
// addresses, or that its flags concern, newest first (at most $limit), with where they happened
// and who was involved, for the cluster's timeline.
// $person_ids, $address_ids, $incident_ids: the cluster's entities; $limit: how many to show.
OPTIONAL MATCH (p:Person)-[:INVOLVED_IN]->(i1:Incident)
WHERE p.person_id IN $person_ids
WITH collect(DISTINCT i1) AS by_person
OPTIONAL MATCH (a:Address)<-[:AT|FOUND_AT]-(i2:Incident)
WHERE a.address_id IN $address_ids
WITH by_person, collect(DISTINCT i2) AS by_address
OPTIONAL MATCH (i3:Incident)
WHERE i3.incident_id IN $incident_ids
WITH by_person, by_address, collect(DISTINCT i3) AS by_flag
UNWIND by_person + by_address + by_flag AS i
WITH DISTINCT i
ORDER BY i.occurred_at DESC
LIMIT $limit
OPTIONAL MATCH (i)-[:AT]->(place:Address)
OPTIONAL MATCH (who:Person)-[r:INVOLVED_IN]->(i)
WITH i, place, collect({person_id: who.person_id, role: r.role,
  name: trim(coalesce(who.given_name, '') + ' ' + coalesce(who.family_name, ''))}) AS people
RETURN i.incident_id AS incident_id, i.incident_type AS incident_type,
       i.occurred_at AS occurred_at, i.risk_grade AS risk_grade, i.status AS status,
       i.crime_ref AS crime_ref, i.summary AS summary, place.address_id AS address_id,
       coalesce(place.line1, '') + ', ' + coalesce(place.postcode, '') AS address, people
ORDER BY occurred_at DESC, incident_id
