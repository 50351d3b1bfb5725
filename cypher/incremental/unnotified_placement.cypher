// Scope of unnotified_placement for an incremental run: `person_id=` keys of the children (where
// the rule starts) whose flags the changed records can affect. One row per key.
// Why: the rule looks from a child to its incidents at care settings (an address's type, or an
// active placement there) and to its own (and its linked records') placements; so a changed
// person, an incident (the people in it) or a placement (its child) affects them, and a changed
// address everyone in an incident there or placed there.
// named: person_id incident_id placement_id
// named_by: placement_id
// (An address counts only as a care setting: by its type, written by its own row, or by an
// active placement there, which a placement row names, or leaves when it moves. An address a
// changed row of another kind only names (an incident's, a residence's) is no care setting for
// that; the incident's people come in by its key. So only addresses written, or named by a
// placement row, are walked to their people: graphsvc/rules/incremental.py, ChangeSet.narrowed.)
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
UNION
MATCH (p:Person)-[:INVOLVED_IN]->(:Incident)-[:AT]->(a:Address)
WHERE a.address_id IN $address_ids
RETURN 'person_id=' + p.person_id AS key
UNION
MATCH (p:Person)-[:PLACED_IN]->(:Placement)-[:AT]->(a:Address)
WHERE a.address_id IN $address_ids
RETURN 'person_id=' + p.person_id AS key
UNION
MATCH (p:Person)
WHERE p.person_id IN $person_ids
WITH DISTINCT p WHERE p.identity_key IS NOT NULL  // else FalkorDB joins all
MATCH (linked:Person {identity_key: p.identity_key})
RETURN 'person_id=' + linked.person_id AS key
