// Scope of repeat_missing_child for an incremental run: the `person_id=` keys of the children
// whose flags the changed records can affect. One row per key.
// Why: the rule looks from a child (all its linked records, which its entry adds) to its
// missing episodes, CSE concerns and out-of-area placements; a changed person, an incident (the
// people in it) or a placement (its child) affects them.
MATCH (p:Person)
WHERE p.person_id IN $person_ids
RETURN 'person_id=' + p.person_id AS key
UNION
MATCH (p:Person)-[:INVOLVED_IN]->(i:Incident)
WHERE i.incident_id IN $incident_ids
RETURN 'person_id=' + p.person_id AS key
UNION
MATCH (p:Person)-[:PLACED_IN]->(pl:Placement)
WHERE pl.placement_id IN $placement_ids
RETURN 'person_id=' + p.person_id AS key
