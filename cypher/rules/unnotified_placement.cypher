// id: unnotified_placement
// title: Placement the police were not told of
// short_title: Unnotified placement
// phrase: placement the police were not told of
// description: A child reported missing from, or in an incident at, a care-setting address where no placement of that child is known; or a child's active placement the force was told of more than notice_days days after it began (or, notice_days days on, not at all).
// severity: medium
// param notice_days: 14  (days after a placement begins by which the force should have been told)
// param care_address_types: ['childrens_home', 'secure_home', 'foster_home', 'supported_accommodation']  (address types that are care settings)
// param care_placement_types: ['childrens_home', 'secure_home', 'foster', 'kinship_foster', 'supported_accommodation']  (an address with an active placement of these types is a care setting too)
// finding: the police were often not told when a child from another authority was placed in the county, and knew little of these children.
// returns: one row per child and address (the two parts may both return the same pair; the runner merges them): identity, entities with roles, severity, summary, evidence (incidents, or the placement with its start and notification dates) and the material items.
// Days between dates are counted from day numbers (the civil-calendar formula), because
// FalkorDB's date - duration arithmetic is not exact for spans of weeks or more.
// A placement is known when the graph holds one for that child (under any of the child's linked
// records: SAME_AS, grouped by identity_key) at that address that began on or
// before as_of; a notification dated after as_of had not happened on as_of.
// Entry: in an incremental run (graphsvc/rules/incremental.py) each anchored child with the
// addresses of its incidents, by index, that are care settings on as_of (of a care type, or
// with an active placement of one); in a full run ($anchors null opens the gates) every care
// setting with the people in its incidents. Whether a placement of the child there is known
// is asked once per child and address, then its incidents there are collected.
CALL () {
  UNWIND coalesce($anchor_person_ids, []) AS anchor
  MATCH (c:Person {person_id: anchor})
  WITH c  // from the anchor: FalkorDB would otherwise start from every care address
  MATCH (c)-[:INVOLVED_IN]->(:Incident)-[:AT]->(a:Address)
  WHERE a.address_type IN $care_address_types
  RETURN c, a
  UNION
  UNWIND coalesce($anchor_person_ids, []) AS anchor
  MATCH (c:Person {person_id: anchor})
  WITH c  // from the anchor: FalkorDB would otherwise start from every Placement
  MATCH (c)-[:INVOLVED_IN]->(:Incident)-[:AT]->(a:Address)
  WITH DISTINCT c, a  // each address's placements read once per child, not per incident
  MATCH (a)<-[:AT]-(care:Placement)
  WHERE care.placement_type IN $care_placement_types
    AND care.start_date <= date($as_of)
    AND (care.end_date IS NULL OR care.end_date >= date($as_of))
  RETURN c, a
  UNION
  UNWIND CASE WHEN $anchors IS NULL THEN [1] ELSE [] END AS full_run
  MATCH (a:Address)
  WHERE a.address_type IN $care_address_types
  MATCH (a)<-[:AT]-(:Incident)<-[:INVOLVED_IN]-(c:Person)
  RETURN c, a
  UNION
  UNWIND CASE WHEN $anchors IS NULL THEN [1] ELSE [] END AS full_run
  MATCH (care:Placement)-[:AT]->(a:Address)
  WHERE care.placement_type IN $care_placement_types
    AND care.start_date <= date($as_of)
    AND (care.end_date IS NULL OR care.end_date >= date($as_of))
  MATCH (a)<-[:AT]-(:Incident)<-[:INVOLVED_IN]-(c:Person)
  RETURN c, a
}
WITH c, a  // FalkorDB binds what a subquery returns only after a WITH
// A child when any of its linked records says so (a police record may have no date of birth).
OPTIONAL MATCH (cl:Person {identity_key: c.identity_key})
WITH c, a, [c] + collect(DISTINCT cl) AS c_records
WHERE any(x IN c_records WHERE x.date_of_birth > date($born_after)
                           AND x.date_of_birth <= date($as_of))
OPTIONAL MATCH (c)-[:PLACED_IN]->(kp:Placement)-[:AT]->(a)
WHERE kp.start_date <= date($as_of)
WITH a, c, count(kp) AS own_known
WHERE own_known = 0
OPTIONAL MATCH (:Person {identity_key: c.identity_key})-[:PLACED_IN]->(lp:Placement)-[:AT]->(a)
WHERE lp.start_date <= date($as_of)
WITH a, c, count(lp) AS linked_known
WHERE linked_known = 0
MATCH (c)-[ci:INVOLVED_IN]->(i:Incident)-[:AT]->(a)
WHERE i.occurred_on <= date($as_of)
WITH a, c, collect(DISTINCT {incident_id: i.incident_id, incident_type: i.incident_type,
                             role: ci.role, occurred_on: i.occurred_on}) AS incidents
RETURN ['person_id=' + c.person_id, 'address_id=' + a.address_id] AS identity,
       [{label_key: 'person_id', key: c.person_id, role: 'child'},
        {label_key: 'address_id', key: a.address_id, role: 'care_setting'}]
       + [x IN incidents | {label_key: 'incident_id', key: x.incident_id, role: 'incident'}]
         AS entities,
       'medium' AS severity,
       'Child ' + c.person_id + ' was ' + CASE WHEN any(x IN incidents
         WHERE x.incident_type = 'missing' AND x.role IN ['missing_person', 'subject'])
         THEN 'reported missing from' ELSE 'in an incident at' END + ' care setting '
       + a.address_id + ' where no placement of the child is known.' AS summary,
       {incidents: incidents, address_type: a.address_type, as_of: $as_of} AS evidence,
       [x IN incidents | 'incident_id=' + x.incident_id] AS material
UNION
CALL () {
  UNWIND coalesce($anchor_person_ids, []) AS anchor
  MATCH (c:Person {person_id: anchor})-[:PLACED_IN]->(pl:Placement)
  RETURN c, pl
  UNION
  UNWIND CASE WHEN $anchors IS NULL THEN [1] ELSE [] END AS full_run
  MATCH (c:Person)-[:PLACED_IN]->(pl:Placement)
  RETURN c, pl
}
WITH c, pl
MATCH (pl)-[:AT]->(a:Address)
WHERE pl.start_date <= date($as_of)
  AND (pl.end_date IS NULL OR pl.end_date >= date($as_of))
  AND c.date_of_birth > date($born_after)
  AND c.date_of_birth <= date($as_of)
WITH c, pl, a,
     CASE WHEN pl.police_notified_date <= date($as_of) THEN pl.police_notified_date END
       AS notified
WHERE notified IS NOT NULL OR pl.start_date < date($notice_days_since)
WITH c, pl, a, notified, pl.start_date AS s, coalesce(notified, date($as_of)) AS n
WITH c, pl, a, notified, s, n,
     CASE WHEN s.month <= 2 THEN s.year - 1 ELSE s.year END AS sy,
     CASE WHEN n.month <= 2 THEN n.year - 1 ELSE n.year END AS ny
WITH c, pl, a, notified,
     365 * ny + ny / 4 - ny / 100 + ny / 400 + (153 * ((n.month + 9) % 12) + 2) / 5 + n.day
     - (365 * sy + sy / 4 - sy / 100 + sy / 400 + (153 * ((s.month + 9) % 12) + 2) / 5 + s.day)
       AS days_late
WHERE notified IS NULL OR days_late > $notice_days
RETURN ['person_id=' + c.person_id, 'address_id=' + a.address_id] AS identity,
       [{label_key: 'person_id', key: c.person_id, role: 'child'},
        {label_key: 'address_id', key: a.address_id, role: 'placement_address'},
        {label_key: 'placement_id', key: pl.placement_id, role: 'placement'}] AS entities,
       'medium' AS severity,
       'The force ' + CASE WHEN notified IS NULL THEN 'has not been told of'
         ELSE 'was told late of' END + ' the placement ' + pl.placement_id + ' of child '
       + c.person_id + ', which began on ' + toString(pl.start_date) + '.' AS summary,
       {placement: {placement_id: pl.placement_id, start_date: pl.start_date,
                    police_notified_date: notified, days_to_notify: days_late,
                    placing_authority: pl.placing_authority,
                    notice_days: $notice_days}, as_of: $as_of} AS evidence,
       ['placement_id=' + pl.placement_id] AS material
