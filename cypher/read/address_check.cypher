// Returns one row for the address $address_id with everything an officer going there must know
// on $as_of: the people who live there (each with age, offender register entry, active
// protection plans and the active orders that restrict or protect them), the looked-after
// children placed there, the registered offenders whose current home is within $radius_m metres
// of ($lat, $lon) (the address's own location; for an address without one the caller passes
// 0, 0, where no UK address lies: never a radius of 0, which crashes FalkorDB 4.16's index scan),
// and the domestic abuse incidents there since $since.
// Why: the control room checks an address before deploying; one round trip keeps it fast.
MATCH (a:Address {address_id: $address_id})
CALL {
  WITH a
  OPTIONAL MATCH (p:Person)-[r:RESIDES_AT]->(a)
  WHERE (r.start_date IS NULL OR r.start_date <= date($as_of))
    AND (r.end_date IS NULL OR r.end_date >= date($as_of))
  RETURN collect(CASE WHEN p IS NULL THEN NULL ELSE {
    person_id: p.person_id, given_name: p.given_name, family_name: p.family_name,
    date_of_birth: p.date_of_birth, gender: p.gender, residence_type: r.residence_type,
    offender: 'Offender' IN labels(p)
      AND p.registered_from <= date($as_of)
      AND (p.registered_until IS NULL OR p.registered_until >= date($as_of)),
    rosh_level: p.rosh_level, mappa_category: p.mappa_category, mappa_level: p.mappa_level,
    visor_ref: p.visor_ref,
    plans: [(p)-[:SUBJECT_OF]->(pp:ProtectionPlan)
            WHERE pp.start_date <= date($as_of)
              AND (pp.end_date IS NULL OR pp.end_date >= date($as_of))
            | {plan_id: pp.plan_id, category: pp.category, start_date: pp.start_date,
               local_authority: pp.local_authority}],
    restricted_by: [(p)-[:RESTRICTED_BY]->(o:Order)
                    WHERE o.start_date <= date($as_of)
                      AND (o.end_date IS NULL OR o.end_date >= date($as_of))
                    | {order_id: o.order_id, order_type: o.order_type, start_date: o.start_date,
                       end_date: o.end_date, prohibits_child_contact: o.prohibits_child_contact}],
    protected_by: [(s:Person)-[:RESTRICTED_BY]->(o:Order)-[:PROTECTS]->(p)
                   WHERE o.start_date <= date($as_of)
                     AND (o.end_date IS NULL OR o.end_date >= date($as_of))
                   | {order_id: o.order_id, order_type: o.order_type, start_date: o.start_date,
                      end_date: o.end_date, prohibits_child_contact: o.prohibits_child_contact,
                      subject_id: s.person_id, subject_given_name: s.given_name,
                      subject_family_name: s.family_name}]
  } END) AS residents
}
CALL {
  WITH a
  OPTIONAL MATCH (c:Person)-[:PLACED_IN]->(pl:Placement)-[:AT]->(a)
  WHERE pl.start_date <= date($as_of) AND (pl.end_date IS NULL OR pl.end_date >= date($as_of))
  RETURN collect(CASE WHEN c IS NULL THEN NULL ELSE {
    person_id: c.person_id, given_name: c.given_name, family_name: c.family_name,
    date_of_birth: c.date_of_birth, gender: c.gender, placement_id: pl.placement_id,
    placing_authority: pl.placing_authority, out_of_area: pl.out_of_area,
    placement_type: pl.placement_type, start_date: pl.start_date,
    plans: [(c)-[:SUBJECT_OF]->(pp:ProtectionPlan)
            WHERE pp.start_date <= date($as_of)
              AND (pp.end_date IS NULL OR pp.end_date >= date($as_of))
            | {plan_id: pp.plan_id, category: pp.category}]
  } END) AS placed
}
CALL {
  WITH a
  OPTIONAL MATCH (i:Incident)-[:AT]->(a)
  WHERE i.incident_type = 'domestic_abuse' AND i.occurred_on >= date($since)
    AND i.occurred_on <= date($as_of)
  RETURN collect(CASE WHEN i IS NULL THEN NULL ELSE {
    incident_id: i.incident_id, occurred_at: i.occurred_at, risk_grade: i.risk_grade,
    dash_score: i.dash_score, crime_ref: i.crime_ref
  } END) AS domestic_abuse
}
CALL {
  OPTIONAL MATCH (h:Address)
  WHERE point.distance(h.location, point({latitude: $lat, longitude: $lon})) <= $radius_m
  OPTIONAL MATCH (o:Person:Offender)-[r:RESIDES_AT]->(h)
  WHERE (r.start_date IS NULL OR r.start_date <= date($as_of))
    AND (r.end_date IS NULL OR r.end_date >= date($as_of))
    AND r.residence_type IN ['home', 'notified_stay']
    AND o.registered_from <= date($as_of)
    AND (o.registered_until IS NULL OR o.registered_until >= date($as_of))
  RETURN collect(CASE WHEN o IS NULL THEN NULL ELSE {
    person_id: o.person_id, given_name: o.given_name, family_name: o.family_name,
    date_of_birth: o.date_of_birth, rosh_level: o.rosh_level,
    mappa_category: o.mappa_category, mappa_level: o.mappa_level, visor_ref: o.visor_ref,
    address_id: h.address_id, residence_type: r.residence_type,
    distance_m: point.distance(h.location, point({latitude: $lat, longitude: $lon})),
    orders: [(o)-[:RESTRICTED_BY]->(x:Order)
             WHERE x.start_date <= date($as_of)
               AND (x.end_date IS NULL OR x.end_date >= date($as_of))
             | {order_id: x.order_id, order_type: x.order_type, end_date: x.end_date,
                prohibits_child_contact: x.prohibits_child_contact}]
  } END) AS nearby_offenders
}
RETURN residents, placed, domestic_abuse, nearby_offenders
