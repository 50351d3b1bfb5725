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
// pairs: placement=pairs/ooa_placements home=pairs/ooa_homes
// Plan: the pairs of an active out-of-area placement and a candidate adult's home within the
// radius are made outside the engine (graphsvc/rules/pairs.py: the placements and the homes,
// each read by one statement named on the `pairs:` line, joined by a k-d tree over their
// earth-centred points, then tested with the distance below plus 1 %) and given here as $pairs, one map
// per pair with both sides' columns, each prefixed with its side's name and `_`;
// this statement measures each pair exactly and builds the evidence, reading each child's
// plans and missing episodes once per child. Neither engine's point index can make these pairs
// (FalkorDB uses it only for a constant point, and about 2,200 addresses lie within 1 km of
// each home). Distance: the ellipsoidal distance from the local radii of curvature (meridian
// M, prime vertical N) at the mean latitude, from the addresses' double-precision latitude and
// longitude (the point itself is single precision on FalkorDB).
// A child or adult known under several linked records (SAME_AS, grouped by identity_key) is one
// person: the homes of all the adult's records count (pairs/ooa_homes), and the plans and
// missing episodes of all the child's records.
// Incremental runs (graphsvc/rules/incremental.py) are given only the pairs of an anchored
// child or adult ($anchor_person_ids); in a full run ($anchors null) every pair.
UNWIND $pairs AS p
WITH p,
     radians((p.placement_latitude + p.home_latitude) / 2.0) AS phi,
     radians(p.home_latitude - p.placement_latitude) AS dphi,
     radians(p.home_longitude - p.placement_longitude) AS dlambda
WITH p, phi, dphi, dlambda, 1.0 - 0.00669437999014 * sin(phi) ^ 2 AS w
WITH p,
     sqrt((dlambda * (6378137.0 / sqrt(w)) * cos(phi)) ^ 2
          + (dphi * (6378137.0 * (1.0 - 0.00669437999014) / w ^ 1.5)) ^ 2) AS distance_m
WHERE distance_m <= $radius_m
WITH p, distance_m
ORDER BY p.placement_placement_id, p.home_address_id  // the same evidence whichever way the rows came
WITH p.placement_person_id AS child_id, p.home_person_id AS adult_id,
     p.home_rosh_level AS rosh_level, p.home_orders AS orders, p.home_high_risk AS high_risk,
     min(distance_m) AS distance_m,
     collect(DISTINCT {placement_id: p.placement_placement_id,
                       placement_address_id: p.placement_address_id,
                       home_address_id: p.home_address_id,
                       distance_m: round(distance_m * 100.0) / 100.0}) AS pairs
WITH child_id, collect({o: {person_id: adult_id, rosh_level: rosh_level}, orders: orders,
                        high_risk: high_risk, distance_m: distance_m, pairs: pairs}) AS adults
MATCH (c:Person {person_id: child_id})
WITH c, adults
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
