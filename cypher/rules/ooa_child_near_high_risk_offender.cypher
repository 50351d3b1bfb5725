// id: ooa_child_near_high_risk_offender
// title: Child placed out of area near a high-risk offender
// short_title: Placed near offender
// phrase: out-of-area child placed near a high-risk offender
// description: A child in an active out-of-area placement whose placement address is within the radius of the home of a registered offender with high or very high RoSH, or of anyone under an order that prohibits child contact.
// severity: high; critical when the child is on an active protection plan or went missing in the last missing_days days
// param radius_m: 1000  (metres on the WGS84 ellipsoid from the placement address to the home)
// param rosh_levels: ['high', 'very_high']  (RoSH levels that make a registered offender high risk)
// param missing_days: 90  (days back from as_of in which a missing episode makes it critical)
// finding: 520 looked-after children from other authorities lived in the county, often in private children's homes; the police were often not told and knew little of them.
// returns: one row per child and offender (or order subject): identity, entities with roles, severity, summary, evidence (ellipsoidal distance in metres, addresses, orders, plans, missing episodes) and the material items.
// Plan: the few high-risk offenders and order subjects first, with their current homes, orders
// and risk, collected once (a few hundred entries); each active out-of-area placement is
// compared with that list in memory, and a child's plans and missing episodes are read once per
// child, not once per pair. Distance: a cheap point.distance prefilter (radius + 1 %), then the
// ellipsoidal distance from the local radii of curvature (meridian M, prime vertical N) at the
// mean latitude, from the addresses' double-precision latitude and longitude (the point itself
// is single precision on FalkorDB).
// A child or adult known under several linked records (SAME_AS, grouped by identity_key) is one
// person: the homes of all the adult's records count, and the plans and missing episodes of all
// the child's records.
// Pairs: the active out-of-area placements are collected once (a few hundred) and each is
// matched against the list of homes in one row (FalkorDB copies a list into every row that
// carries it, and uses its point index only for a constant point, not a home read per row).
// Incremental runs (graphsvc/rules/incremental.py) keep only the pairs of an anchored child
// ($anchor_person_ids) or an anchored adult, and look only at the placements of anchored
// children and those within the radius of an anchored adult's home; in a full run ($anchors
// null) every pair.
MATCH (hr:Offender)
WHERE hr.rosh_level IN $rosh_levels
  AND hr.registered_from <= date($as_of)
  AND (hr.registered_until IS NULL OR hr.registered_until >= date($as_of))
WITH collect(hr) AS high_risk_people
OPTIONAL MATCH (s:Person)-[:RESTRICTED_BY]->(po:Order)
WHERE po.prohibits_child_contact = true
  AND po.start_date <= date($as_of)
  AND (po.end_date IS NULL OR po.end_date >= date($as_of))
WITH high_risk_people, collect(DISTINCT s) AS order_subjects
UNWIND high_risk_people + order_subjects AS o
WITH DISTINCT o
OPTIONAL MATCH (ol:Person {identity_key: o.identity_key})
WITH o, [o] + [x IN collect(DISTINCT ol) WHERE x <> o] AS records
UNWIND records AS rec
MATCH (rec)-[r:RESIDES_AT]->(home:Address)
WHERE coalesce(r.residence_type, 'home') = 'home'
  AND (r.start_date IS NULL OR r.start_date <= date($as_of))
  AND (r.end_date IS NULL OR r.end_date >= date($as_of))
  AND home.location IS NOT NULL
WITH DISTINCT o, home
OPTIONAL MATCH (o)-[:RESTRICTED_BY]->(ord:Order)
WHERE ord.prohibits_child_contact = true
  AND ord.start_date <= date($as_of)
  AND (ord.end_date IS NULL OR ord.end_date >= date($as_of))
WITH o, home, collect(DISTINCT ord.order_id) AS orders
WITH collect({o: o, home: home, location: home.location,
              person: coalesce(o.identity_key, o.person_id),
              orders: orders,
              anchored: o.person_id IN coalesce($anchor_person_ids, []),
              high_risk: coalesce(o:Offender AND o.rosh_level IN $rosh_levels
                                  AND o.registered_from <= date($as_of)
                                  AND (o.registered_until IS NULL
                                       OR o.registered_until >= date($as_of)), false)})
       AS homes
CALL () {
  MATCH (pl:Placement)
  WHERE pl.out_of_area = true
    AND pl.start_date <= date($as_of)
    AND (pl.end_date IS NULL OR pl.end_date >= date($as_of))
  MATCH (c:Person)-[:PLACED_IN]->(pl)-[:AT]->(pa:Address)
  WHERE c.date_of_birth > date($born_after)
    AND c.date_of_birth <= date($as_of)
    AND pa.location IS NOT NULL
  RETURN collect({c: c, pl: pl, pa: pa, location: pa.location,
                  child: coalesce(c.identity_key, c.person_id),
                  anchored: c.person_id IN coalesce($anchor_person_ids, [])}) AS placed
}
WITH homes, placed  // FalkorDB binds what a subquery returns only after a WITH
WITH homes, [h IN homes WHERE h.anchored | h.location] AS anchored_homes, placed
WITH homes, [p IN placed WHERE $anchors IS NULL OR p.anchored
              OR any(x IN anchored_homes WHERE point.distance(x, p.location) <= $radius_m * 1.01)]
       AS placed
WITH homes, [h IN homes | h.location] AS locations, placed
WITH [p IN placed | [p, [i IN range(0, size(homes) - 1)
                          WHERE point.distance(locations[i], p.location) <= $radius_m * 1.01
                            AND homes[i].person <> p.child
                            AND ($anchors IS NULL OR p.anchored OR homes[i].anchored)
                          | homes[i]]]] AS matched
UNWIND matched AS m
WITH m[0] AS p, m[1] AS near
UNWIND near AS h
WITH p.c AS c, p.pl AS pl, p.pa AS pa, h
WITH c, pl, pa, h, h.home AS oa,
     coalesce(pa.latitude, pa.location.latitude) AS lat1,
     coalesce(pa.longitude, pa.location.longitude) AS lon1,
     coalesce(h.home.latitude, h.location.latitude) AS lat2,
     coalesce(h.home.longitude, h.location.longitude) AS lon2
WITH c, pl, pa, h, oa,
     radians((lat1 + lat2) / 2.0) AS phi,
     radians(lat2 - lat1) AS dphi,
     radians(lon2 - lon1) AS dlambda
WITH c, pl, pa, h, oa, phi, dphi, dlambda,
     1.0 - 0.00669437999014 * sin(phi) ^ 2 AS w
WITH c, pl, pa, h, oa,
     sqrt((dlambda * (6378137.0 / sqrt(w)) * cos(phi)) ^ 2
          + (dphi * (6378137.0 * (1.0 - 0.00669437999014) / w ^ 1.5)) ^ 2) AS distance_m
WHERE distance_m <= $radius_m
WITH c, pl, pa, h, oa, distance_m
ORDER BY pl.placement_id, oa.address_id  // the same evidence whichever way the rows came
WITH c, h.o AS o, h.orders AS orders, h.high_risk AS high_risk, min(distance_m) AS distance_m,
     collect(DISTINCT {placement_id: pl.placement_id, placement_address_id: pa.address_id,
                       home_address_id: oa.address_id,
                       distance_m: round(distance_m * 100.0) / 100.0}) AS pairs
WITH c, collect({o: o, orders: orders, high_risk: high_risk, distance_m: distance_m,
                 pairs: pairs}) AS adults
OPTIONAL MATCH (cl:Person {identity_key: c.identity_key})
WITH c, adults, [c] + [x IN collect(DISTINCT cl) WHERE x <> c] AS child_records
UNWIND child_records AS cr
OPTIONAL MATCH (cr)-[:SUBJECT_OF]->(plan:ProtectionPlan)
WHERE plan.start_date <= date($as_of)
  AND (plan.end_date IS NULL OR plan.end_date >= date($as_of))
WITH c, adults, child_records, collect(DISTINCT plan.plan_id) AS plans
UNWIND child_records AS cr
OPTIONAL MATCH (cr)-[mi:INVOLVED_IN]->(m:Incident)
WHERE m.incident_type = 'missing'
  AND mi.role IN ['missing_person', 'subject']
  AND m.occurred_on >= date($missing_days_since)
  AND m.occurred_on <= date($as_of)
WITH c, adults, plans, collect(DISTINCT m.incident_id) AS missing
UNWIND adults AS adult
WITH c, adult.o AS o, adult.orders AS orders, adult.high_risk AS high_risk,
     adult.distance_m AS distance_m, adult.pairs AS pairs, plans, missing
WITH c, o, orders, high_risk, distance_m, pairs, plans, missing,
     CASE WHEN high_risk THEN 'offender' ELSE 'order_subject' END AS adult_role
RETURN ['person_id=' + c.person_id, 'person_id=' + o.person_id] AS identity,
       [{label_key: 'person_id', key: c.person_id, role: 'child'},
        {label_key: 'person_id', key: o.person_id, role: adult_role}]
       + [p IN pairs | {label_key: 'placement_id', key: p.placement_id, role: 'placement'}]
       + [p IN pairs | {label_key: 'address_id', key: p.placement_address_id,
                        role: 'placement_address'}]
       + [p IN pairs | {label_key: 'address_id', key: p.home_address_id, role: 'offender_home'}]
       + [x IN orders | {label_key: 'order_id', key: x, role: 'order'}]
       + [x IN plans | {label_key: 'plan_id', key: x, role: 'plan'}]
       + [x IN missing | {label_key: 'incident_id', key: x, role: 'incident'}] AS entities,
       CASE WHEN size(plans) > 0 OR size(missing) > 0 THEN 'critical' ELSE 'high' END AS severity,
       'Child ' + c.person_id + ' is placed out of area ' + toString(toInteger(round(distance_m)))
       + ' m from the home of ' + CASE WHEN high_risk
         THEN o.rosh_level + ' RoSH registered offender ' ELSE 'order subject ' END
       + o.person_id + '.' AS summary,
       {distance_m: round(distance_m * 100.0) / 100.0, radius_m: $radius_m, pairs: pairs,
        high_risk_offender: high_risk, rosh_level: o.rosh_level, orders: orders, plans: plans,
        missing_incidents: missing, as_of: $as_of} AS evidence,
       [x IN missing | 'incident_id=' + x] + [x IN plans | 'plan_id=' + x]
       + [x IN orders | 'order_id=' + x] AS material
