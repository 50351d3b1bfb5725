// Scope of ooa_child_near_high_risk_offender for an incremental run: the `person_id=` keys of the
// children and adults whose proximity flags the changed records can affect. One row per key.
// Why: a changed child, placement, plan, missing episode or placement address affects its
// child (of a changed incident, only a missing episode's missing person or subject: the rule
// reads no other incident, and an incident that stops being one is met through the flags
// that listed it, which concern it); a changed adult (a changed order names its subject) or a
// changed address where one lives affects that adult. The rule, given these keys, re-pairs each of them with everyone
// within the radius, so no spatial search is needed here. Ended links count too.
// named: person_id
// (Every link the rule reads has a person at one end or is a record of its own: placement,
// plan, order, address. So an address or incident a changed row only names, such as the care
// home where a changed incident happened, cannot change its flags; the runner leaves those
// keys out, graphsvc/rules/incremental.py.)
MATCH (c:Person)
WHERE c.person_id IN $person_ids
RETURN 'person_id=' + c.person_id AS key
UNION
MATCH (c:Person)-[:PLACED_IN]->(pl:Placement)
WHERE pl.placement_id IN $placement_ids
RETURN 'person_id=' + c.person_id AS key
UNION
MATCH (c:Person)-[:SUBJECT_OF]->(plan:ProtectionPlan)
WHERE plan.plan_id IN $plan_ids
RETURN 'person_id=' + c.person_id AS key
UNION
MATCH (c:Person)-[ci:INVOLVED_IN]->(i:Incident)
WHERE i.incident_id IN $incident_ids AND i.incident_type = 'missing'
  AND ci.role IN ['missing_person', 'subject']
RETURN 'person_id=' + c.person_id AS key
UNION
MATCH (c:Person)-[:PLACED_IN]->(:Placement)-[:AT]->(pa:Address)
WHERE pa.address_id IN $address_ids
RETURN 'person_id=' + c.person_id AS key
UNION
MATCH (adult:Person)-[:RESIDES_AT]->(h:Address)
WHERE h.address_id IN $address_ids
RETURN 'person_id=' + adult.person_id AS key
