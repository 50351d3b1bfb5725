// Scope of repeat_missing_child for an incremental run: the `person_id=` keys of the children
// whose flags the changed records can affect. One row per key.
// Why: the rule looks from a child (all its linked records, which its entry adds) to its
// missing episodes, CSE concerns and out-of-area placements; a changed person, a missing or CSE
// concern incident (the people in it) or a placement (its child) affects them.
// named: incident_id placement_id
// (A person a changed row only names (a residence's, an incident's) is left out: the rule reads
// no residence, and an incident's people come in by the incident's key. An incident of another
// type is no episode or concern now; if it was one before (its type changed), the flag it was
// part of concerns it, so the runner compares that flag again: graphsvc/rules/incremental.py.)
MATCH (p:Person)
WHERE p.person_id IN $person_ids
RETURN 'person_id=' + p.person_id AS key
UNION
MATCH (p:Person)-[:INVOLVED_IN]->(i:Incident)
WHERE i.incident_id IN $incident_ids
  AND i.incident_type IN ['missing', 'cse_concern']
RETURN 'person_id=' + p.person_id AS key
UNION
MATCH (p:Person)-[:PLACED_IN]->(pl:Placement)
WHERE pl.placement_id IN $placement_ids
RETURN 'person_id=' + p.person_id AS key
