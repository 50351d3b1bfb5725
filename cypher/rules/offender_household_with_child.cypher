// id: offender_household_with_child
// description: A registered offender (active registration) with a current home, notified stay or household contact at the same address, or an address with the same UPRN, as a child's current home or placement.
// severity: high; critical when the child is looked after (an active placement) or on an active protection plan
// param offender_residence_types: ['home', 'notified_stay', 'household_contact']  (the offender's links to an address that count)
// finding: officers attended incidents without knowing a child at the address was on a protection plan, and control rooms could not see offender risk held elsewhere.
// returns: one row per offender and child: identity, entities with roles, severity, summary, evidence (how each is linked to which address, same UPRN or same address, placements, plans) and the material items.
MATCH (o:Offender)-[r:RESIDES_AT]->(oa:Address)
WHERE o.registered_from <= date($as_of)
  AND (o.registered_until IS NULL OR o.registered_until >= date($as_of))
  AND coalesce(r.residence_type, 'home') IN $offender_residence_types
  AND (r.start_date IS NULL OR r.start_date <= date($as_of))
  AND (r.end_date IS NULL OR r.end_date >= date($as_of))
OPTIONAL MATCH (same:Address)
WHERE oa.uprn IS NOT NULL AND same.uprn = oa.uprn
WITH o, coalesce(r.residence_type, 'home') AS offender_link, oa,
     collect(DISTINCT same) AS same_uprn
UNWIND [oa] + same_uprn AS ca
WITH DISTINCT o, offender_link, oa, ca
OPTIONAL MATCH (hc:Person)-[hr:RESIDES_AT]->(ca)
WHERE hc <> o
  AND coalesce(hr.residence_type, 'home') = 'home'
  AND (hr.start_date IS NULL OR hr.start_date <= date($as_of))
  AND (hr.end_date IS NULL OR hr.end_date >= date($as_of))
  AND hc.date_of_birth > date($born_after)
  AND hc.date_of_birth <= date($as_of)
WITH o, offender_link, oa, ca,
     collect(DISTINCT {child_id: hc.person_id, via: 'home', placement_id: null}) AS at_home
OPTIONAL MATCH (pc:Person)-[:PLACED_IN]->(pl:Placement)-[:AT]->(ca)
WHERE pc <> o
  AND pl.start_date <= date($as_of)
  AND (pl.end_date IS NULL OR pl.end_date >= date($as_of))
  AND pc.date_of_birth > date($born_after)
  AND pc.date_of_birth <= date($as_of)
WITH o, offender_link, oa, ca, at_home,
     collect(DISTINCT {child_id: pc.person_id, via: 'placement',
                       placement_id: pl.placement_id}) AS placed
UNWIND [x IN at_home + placed WHERE x.child_id IS NOT NULL] AS link
WITH o, link.child_id AS child_id,
     collect(DISTINCT {offender_address_id: oa.address_id, offender_link: offender_link,
                       child_address_id: ca.address_id, child_link: link.via,
                       placement_id: link.placement_id, same_address: oa = ca,
                       uprn: ca.uprn}) AS overlaps
MATCH (c:Person {person_id: child_id})
OPTIONAL MATCH (c)-[:PLACED_IN]->(lp:Placement)
WHERE lp.start_date <= date($as_of)
  AND (lp.end_date IS NULL OR lp.end_date >= date($as_of))
WITH o, c, overlaps, collect(DISTINCT lp.placement_id) AS placements
OPTIONAL MATCH (c)-[:SUBJECT_OF]->(plan:ProtectionPlan)
WHERE plan.start_date <= date($as_of)
  AND (plan.end_date IS NULL OR plan.end_date >= date($as_of))
WITH o, c, overlaps, placements, collect(DISTINCT plan.plan_id) AS plans
RETURN ['person_id=' + o.person_id, 'person_id=' + c.person_id] AS identity,
       [{label_key: 'person_id', key: o.person_id, role: 'offender'},
        {label_key: 'person_id', key: c.person_id, role: 'child'}]
       + [x IN overlaps | {label_key: 'address_id', key: x.offender_address_id,
                           role: 'offender_address'}]
       + [x IN overlaps | {label_key: 'address_id', key: x.child_address_id,
                           role: 'child_address'}]
       + [x IN placements | {label_key: 'placement_id', key: x, role: 'placement'}]
       + [x IN plans | {label_key: 'plan_id', key: x, role: 'plan'}] AS entities,
       CASE WHEN size(placements) > 0 OR size(plans) > 0 THEN 'critical' ELSE 'high' END
         AS severity,
       'Registered offender ' + o.person_id + ' has a current '
       + replace(overlaps[0].offender_link, '_', ' ') + ' at '
       + CASE WHEN overlaps[0].same_address THEN 'the address' ELSE 'a property with the UPRN'
         END + ' of child ' + c.person_id + CASE WHEN size(placements) > 0
         THEN ' (looked after)' ELSE '' END + CASE WHEN size(plans) > 0
         THEN ' (on a protection plan)' ELSE '' END + '.' AS summary,
       {overlaps: overlaps, rosh_level: o.rosh_level, placements: placements, plans: plans,
        as_of: $as_of} AS evidence,
       [x IN overlaps | 'address_id=' + x.child_address_id]
       + [x IN placements | 'placement_id=' + x] + [x IN plans | 'plan_id=' + x] AS material
