// id: offender_household_with_child
// title: Registered offender in a child's household
// short_title: Offender in household
// phrase: registered offender in a household with a child
// description: A registered offender (active registration) with a current home, notified stay or household contact at the same address, or an address with the same UPRN, as a child's current home or placement.
// severity: high; critical when the child is looked after (an active placement) or on an active protection plan
// param offender_residence_types: ['home', 'notified_stay', 'household_contact']  (the offender's links to an address that count)
// finding: officers attended incidents without knowing a child at the address was on a protection plan, and control rooms could not see offender risk held elsewhere.
// An offender or child known under several linked records (SAME_AS, grouped by identity_key) is
// one person: the homes of all the offender's records count, and the flag names every record.
// returns: one row per offender and child: identity, entities with roles, severity, summary, evidence (how each is linked to which address, same UPRN or same address, placements, plans) and the material items.
// Entry: in an incremental run (graphsvc/rules/incremental.py) the register records among the
// anchored records or linked to one, by index; in a full run ($anchors null opens the gate)
// every register record.
CALL () {
  UNWIND coalesce($anchor_person_ids, []) AS anchor
  MATCH (o:Person {person_id: anchor})  // by the Person index (Offender has none)
  WHERE o:Offender
  RETURN o
  UNION
  UNWIND coalesce($anchor_person_ids, []) AS anchor
  MATCH (p:Person {person_id: anchor})
  WITH DISTINCT p WHERE p.identity_key IS NOT NULL  // else FalkorDB joins all
  MATCH (o:Person {identity_key: p.identity_key})  // by the Person index (Offender has none)
  WHERE o:Offender
  RETURN o
  UNION
  UNWIND CASE WHEN $anchors IS NULL THEN [1] ELSE [] END AS full_run
  MATCH (o:Offender)
  RETURN o
}
WITH o
WHERE o.registered_from <= date($as_of)
  AND (o.registered_until IS NULL OR o.registered_until >= date($as_of))
OPTIONAL MATCH (linked:Person {identity_key: o.identity_key})
WITH o, collect(DISTINCT linked) AS linked
WITH o, [o] + [x IN linked WHERE x <> o] AS records
UNWIND records AS rec
MATCH (rec)-[r:RESIDES_AT]->(oa:Address)
WHERE coalesce(r.residence_type, 'home') IN $offender_residence_types
  AND (r.start_date IS NULL OR r.start_date <= date($as_of))
  AND (r.end_date IS NULL OR r.end_date >= date($as_of))
OPTIONAL MATCH (same:Address)
WHERE oa.uprn IS NOT NULL AND same.uprn = oa.uprn
WITH o, records, coalesce(r.residence_type, 'home') AS offender_link, oa,
     collect(DISTINCT same) AS same_uprn
UNWIND [oa] + same_uprn AS ca
WITH DISTINCT o, records, offender_link, oa, ca
// A resident or placed person is a child when any of its linked records says so (the date of
// birth may be known only to children's services).
OPTIONAL MATCH (hc:Person)-[hr:RESIDES_AT]->(ca)
WHERE NOT hc IN records
  AND coalesce(hr.residence_type, 'home') = 'home'
  AND (hr.start_date IS NULL OR hr.start_date <= date($as_of))
  AND (hr.end_date IS NULL OR hr.end_date >= date($as_of))
WITH o, records, offender_link, oa, ca, hc
OPTIONAL MATCH (hcl:Person {identity_key: hc.identity_key})
WITH o, records, offender_link, oa, ca, hc, [hc] + collect(DISTINCT hcl) AS hc_records
WITH o, records, offender_link, oa, ca,
     collect(DISTINCT CASE WHEN any(x IN hc_records WHERE x.date_of_birth > date($born_after)
                                                    AND x.date_of_birth <= date($as_of))
                      THEN {child_id: coalesce(hc.identity_key, hc.person_id), via: 'home',
                            placement_id: null} END) AS at_home
OPTIONAL MATCH (pc:Person)-[:PLACED_IN]->(pl:Placement)-[:AT]->(ca)
WHERE NOT pc IN records
  AND pl.start_date <= date($as_of)
  AND (pl.end_date IS NULL OR pl.end_date >= date($as_of))
WITH o, records, offender_link, oa, ca, at_home, pc, pl
OPTIONAL MATCH (pcl:Person {identity_key: pc.identity_key})
WITH o, records, offender_link, oa, ca, at_home, pc, pl,
     [pc] + collect(DISTINCT pcl) AS pc_records
WITH o, records, offender_link, oa, ca, at_home,
     collect(DISTINCT CASE WHEN any(x IN pc_records WHERE x.date_of_birth > date($born_after)
                                                    AND x.date_of_birth <= date($as_of))
                      THEN {child_id: coalesce(pc.identity_key, pc.person_id), via: 'placement',
                            placement_id: pl.placement_id} END) AS placed
UNWIND [x IN at_home + placed WHERE x.child_id IS NOT NULL] AS link
WITH o, records, link.child_id AS child_id,
     collect(DISTINCT {offender_address_id: oa.address_id, offender_link: offender_link,
                       child_address_id: ca.address_id, child_link: link.via,
                       placement_id: link.placement_id, same_address: oa = ca,
                       uprn: ca.uprn}) AS overlaps
MATCH (c:Person {person_id: child_id})
OPTIONAL MATCH (clinked:Person {identity_key: child_id})
WITH o, records, overlaps, c, collect(DISTINCT clinked) AS clinked
WITH o, records, overlaps, c, [c] + [x IN clinked WHERE x <> c] AS children
UNWIND children AS child
OPTIONAL MATCH (child)-[:PLACED_IN]->(lp:Placement)
WHERE lp.start_date <= date($as_of)
  AND (lp.end_date IS NULL OR lp.end_date >= date($as_of))
WITH o, records, overlaps, c, children, collect(DISTINCT lp.placement_id) AS placements
UNWIND children AS child
OPTIONAL MATCH (child)-[:SUBJECT_OF]->(plan:ProtectionPlan)
WHERE plan.start_date <= date($as_of)
  AND (plan.end_date IS NULL OR plan.end_date >= date($as_of))
WITH o, records, overlaps, c, children, placements, collect(DISTINCT plan.plan_id) AS plans
RETURN [x IN records | 'person_id=' + x.person_id]
       + [x IN children | 'person_id=' + x.person_id] AS identity,
       [x IN records | {label_key: 'person_id', key: x.person_id, role: 'offender'}]
       + [x IN children | {label_key: 'person_id', key: x.person_id, role: 'child'}]
       + [x IN overlaps | {label_key: 'address_id', key: x.offender_address_id,
                           role: 'offender_address'}]
       + [x IN overlaps | {label_key: 'address_id', key: x.child_address_id,
                           role: 'child_address'}]
       + [x IN placements | {label_key: 'placement_id', key: x, role: 'placement'}]
       + [x IN plans | {label_key: 'plan_id', key: x, role: 'plan'}] AS entities,
       CASE WHEN size(placements) > 0 OR size(plans) > 0 THEN 'critical' ELSE 'high' END
         AS severity,
       'Registered offender ' + o.person_id + CASE WHEN size(records) > 1
         THEN ' (' + toString(size(records)) + ' linked records)' ELSE '' END
       + ' has a current ' + replace(overlaps[0].offender_link, '_', ' ') + ' at '
       + CASE WHEN overlaps[0].same_address THEN 'the address' ELSE 'a property with the UPRN'
         END + ' of child ' + c.person_id + CASE WHEN size(placements) > 0
         THEN ' (looked after)' ELSE '' END + CASE WHEN size(plans) > 0
         THEN ' (on a protection plan)' ELSE '' END + '.' AS summary,
       {overlaps: overlaps, rosh_level: o.rosh_level, placements: placements, plans: plans,
        offender_records: [x IN records | x.person_id],
        child_records: [x IN children | x.person_id], as_of: $as_of} AS evidence,
       [x IN overlaps | 'address_id=' + x.child_address_id]
       + [x IN placements | 'placement_id=' + x] + [x IN plans | 'plan_id=' + x] AS material
