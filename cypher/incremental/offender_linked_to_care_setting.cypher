// Scope of offender_linked_to_care_setting for an incremental run: `address_id=` keys of the
// care settings (where the rule starts) and `person_id=` keys whose flags the changed records can
// affect. One row per key.
// Why: the rule looks from a care setting (its type, or an active placement there) to the people
// living at or associated with it, their registration and orders; so a changed address or
// placement (it names its address) affects the address; a changed person the addresses where
// it lives or with which it is associated; a changed order its subject.
MATCH (a:Address)
WHERE a.address_id IN $address_ids
RETURN 'address_id=' + a.address_id AS key
UNION
MATCH (pl:Placement)-[:AT]->(a:Address)
WHERE pl.placement_id IN $placement_ids
RETURN 'address_id=' + a.address_id AS key
UNION
MATCH (p:Person)
WHERE p.person_id IN $person_ids
RETURN 'person_id=' + p.person_id AS key
UNION
MATCH (s:Person)-[:RESTRICTED_BY]->(o:Order)
WHERE o.order_id IN $order_ids
RETURN 'person_id=' + s.person_id AS key
UNION
MATCH (p:Person)-[:RESIDES_AT]->(a:Address)
WHERE p.person_id IN $person_ids
RETURN 'address_id=' + a.address_id AS key
UNION
MATCH (p:Person)-[:ASSOCIATED_WITH]->(a:Address)
WHERE p.person_id IN $person_ids
RETURN 'address_id=' + a.address_id AS key
