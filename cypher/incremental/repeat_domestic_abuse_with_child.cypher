// Scope of repeat_domestic_abuse_with_child for an incremental run: the `address_id=` keys of
// the addresses whose flags the changed records can affect. One row per key.
// Why: the rule looks from an address to its domestic abuse incidents, the people in them, and
// the children living or placed there; so a changed address, an incident at it, or a person in
// its domestic abuse incidents, living or placed there (a changed placement names its address)
// affects it.
// Of the people, only those whose own row changed (`$written_person_ids`: a date of birth, a
// link to another record), under each of their linked records (a child's date of birth on one
// record makes the other, in the incidents, a child too). A row that links a person to an
// incident, a home or a placement names that incident or address as well, which the other
// branches follow. (A day's incident rows name about 900 people, whose every incident and home
// was most of this scope: 2,400 addresses, of which 1,100 remain.)
MATCH (a:Address)
WHERE a.address_id IN $address_ids
RETURN 'address_id=' + a.address_id AS key
UNION
MATCH (i:Incident)-[:AT]->(a:Address)
WHERE i.incident_id IN $incident_ids
RETURN 'address_id=' + a.address_id AS key
UNION
MATCH (p:Person)
WHERE p.person_id IN $written_person_ids
OPTIONAL MATCH (linked:Person {identity_key: p.identity_key})
WITH p, collect(linked) AS linked
UNWIND [p] + linked AS r
MATCH (r)-[:INVOLVED_IN]->(i:Incident)-[:AT]->(a:Address)
WHERE i.incident_type = 'domestic_abuse'
RETURN DISTINCT 'address_id=' + a.address_id AS key
UNION
MATCH (p:Person)
WHERE p.person_id IN $written_person_ids
OPTIONAL MATCH (linked:Person {identity_key: p.identity_key})
WITH p, collect(linked) AS linked
UNWIND [p] + linked AS r
MATCH (r)-[:RESIDES_AT]->(a:Address)
RETURN DISTINCT 'address_id=' + a.address_id AS key
UNION
MATCH (p:Person)
WHERE p.person_id IN $written_person_ids
OPTIONAL MATCH (linked:Person {identity_key: p.identity_key})
WITH p, collect(linked) AS linked
UNWIND [p] + linked AS r
MATCH (r)-[:PLACED_IN]->(:Placement)-[:AT]->(a:Address)
RETURN DISTINCT 'address_id=' + a.address_id AS key
UNION
MATCH (pl:Placement)-[:AT]->(a:Address)
WHERE pl.placement_id IN $placement_ids
RETURN 'address_id=' + a.address_id AS key
