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
// earth-centred points, each pair measured with the ellipsoidal distance from the local radii
// of curvature at the mean latitude, from the addresses' double-precision latitude and
// longitude). This statement reads what the pairs do not carry: for each child record with a
// pair ($child_ids), its protection plans and missing episodes, one flat row per child; the
// rule's rows (one per child and adult: identity, entities, severity, summary, evidence and
// material items, as `returns:` says) are built from both by graphsvc/rules/proximity.py
// (building and sending thousands of nested rows from the engine was most of the rule's time).
// Neither engine's point index can make the pairs (FalkorDB uses it only for a constant
// point, and about 2,200 addresses lie within 1 km of each home).
// A child or adult known under several linked records (SAME_AS, grouped by identity_key) is one
// person: the homes of all the adult's records count (pairs/ooa_homes), and the plans and
// missing episodes of all the child's records.
// Incremental runs (graphsvc/rules/incremental.py) are given only the pairs of an anchored
// child or adult ($anchor_person_ids); in a full run ($anchors null) every pair.
UNWIND $child_ids AS child_id
MATCH (c:Person {person_id: child_id})
OPTIONAL MATCH (cl:Person {identity_key: c.identity_key})
WITH c, [c] + [x IN collect(DISTINCT cl) WHERE x <> c] AS child_records
UNWIND child_records AS cr
OPTIONAL MATCH (cr)-[:SUBJECT_OF]->(plan:ProtectionPlan)
WHERE plan.start_date <= date($as_of)
  AND (plan.end_date IS NULL OR plan.end_date >= date($as_of))
WITH c, child_records, collect(DISTINCT plan.plan_id) AS plans
UNWIND child_records AS cr
OPTIONAL MATCH (cr)-[mi:INVOLVED_IN]->(m:Incident)
WHERE m.incident_type = 'missing'
  AND mi.role IN ['missing_person', 'subject']
  AND m.occurred_on >= date($missing_days_since)
  AND m.occurred_on <= date($as_of)
WITH c, plans, collect(DISTINCT m.incident_id) AS missing
RETURN c.person_id AS child_id, plans, missing, $as_of AS as_of
