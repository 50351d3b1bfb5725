// Scope of repeat_domestic_abuse_with_child for an incremental run: the `address_id=` keys of
// the addresses whose flags the changed records can affect. One row per key.
// Why: the rule looks from an address to its incidents, the people in them, and the children
// living or placed there; so a changed address, an incident at it, or a person in its incidents,
// living or placed there (a changed placement names its address) affects it.
MATCH (a:Address)
WHERE a.address_id IN $address_ids
RETURN 'address_id=' + a.address_id AS key
UNION
MATCH (i:Incident)-[:AT]->(a:Address)
WHERE i.incident_id IN $incident_ids
RETURN 'address_id=' + a.address_id AS key
UNION
MATCH (p:Person)-[:INVOLVED_IN]->(:Incident)-[:AT]->(a:Address)
WHERE p.person_id IN $person_ids
RETURN 'address_id=' + a.address_id AS key
UNION
MATCH (p:Person)-[:RESIDES_AT]->(a:Address)
WHERE p.person_id IN $person_ids
RETURN 'address_id=' + a.address_id AS key
UNION
MATCH (p:Person)-[:PLACED_IN]->(:Placement)-[:AT]->(a:Address)
WHERE p.person_id IN $person_ids
RETURN 'address_id=' + a.address_id AS key
UNION
MATCH (pl:Placement)-[:AT]->(a:Address)
WHERE pl.placement_id IN $placement_ids
RETURN 'address_id=' + a.address_id AS key
