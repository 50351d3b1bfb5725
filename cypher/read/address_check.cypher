// Returns one row for the address $address_id with everything an officer going there must know
// on $as_of that is about the address itself: its warning markers; the people who live there
// (each with warning markers, offender register entry and risk-management summary, active
// protection plans with their lead professional, and the active orders that restrict or protect
// them, with conditions), the looked-after children placed there (with their missing episodes
// since $missing_since), and the incidents there of the types $safety_types since $since (no
// summaries: officers need the history, not the story). People here carry their identity_key:
// only those linked to other records have them looked up. The registered offenders living
// within the radius are found in memory (read/address_offender_homes, with the versioned
// caches of graphsvc/address_check/facts.py), not here. Orders protecting a resident are read
// in a subquery, not a pattern comprehension, which FalkorDB would start from every Order.
// Why: the control room checks an address before deploying; one round trip keeps it fast.
// Labels of nodes reached from a bound node are tested in WHERE, not in the pattern: FalkorDB
// 4.16 then walks the relationship from the bound node instead of scanning the label (10x).
MATCH (a:Address {address_id: $address_id})
CALL (a) {
  MATCH (p)-[r:RESIDES_AT]->(a)
  WHERE (r.start_date IS NULL OR r.start_date <= date($as_of))
    AND (r.end_date IS NULL OR r.end_date >= date($as_of))
  CALL (p) {
    MATCH (s)-[:RESTRICTED_BY]->(o)-[:PROTECTS]->(p)
    WHERE o.start_date <= date($as_of) AND (o.end_date IS NULL OR o.end_date >= date($as_of))
    RETURN collect({
      order_id: o.order_id, order_type: o.order_type, start_date: o.start_date,
      end_date: o.end_date, prohibits_child_contact: o.prohibits_child_contact,
      conditions: o.conditions,
      subject: {person_id: s.person_id, given_name: s.given_name, family_name: s.family_name}
    }) AS protected_by
  }
  RETURN collect({
    person_id: p.person_id, given_name: p.given_name, family_name: p.family_name,
    date_of_birth: p.date_of_birth, gender: p.gender, residence_type: r.residence_type,
    warning_markers: p.warning_markers, risk_management_summary: p.risk_management_summary,
    identity_key: p.identity_key,
    offender: 'Offender' IN labels(p)
      AND p.registered_from <= date($as_of)
      AND (p.registered_until IS NULL OR p.registered_until >= date($as_of)),
    rosh_level: p.rosh_level, mappa_category: p.mappa_category, mappa_level: p.mappa_level,
    visor_ref: p.visor_ref,
    plans: [(p)-[:SUBJECT_OF]->(pp:ProtectionPlan)
            WHERE pp.start_date <= date($as_of)
              AND (pp.end_date IS NULL OR pp.end_date >= date($as_of))
            | {plan_id: pp.plan_id, category: pp.category, start_date: pp.start_date,
               local_authority: pp.local_authority, lead_professional: pp.lead_professional,
               lead_contact: pp.lead_contact}],
    // `ro`, not `o`: FalkorDB 4.16 lets the subquery's `o` leak into this comprehension
    restricted_by: [(p)-[:RESTRICTED_BY]->(ro:Order)
                    WHERE ro.start_date <= date($as_of)
                      AND (ro.end_date IS NULL OR ro.end_date >= date($as_of))
                    | {order_id: ro.order_id, order_type: ro.order_type, start_date: ro.start_date,
                       end_date: ro.end_date, prohibits_child_contact: ro.prohibits_child_contact,
                       conditions: ro.conditions}],
    protected_by: protected_by
  }) AS residents
}
CALL (a) {
  MATCH (c)-[:PLACED_IN]->(pl)-[:AT]->(a)
  WHERE pl:Placement AND pl.start_date <= date($as_of) AND (pl.end_date IS NULL OR pl.end_date >= date($as_of))
  RETURN collect({
    person_id: c.person_id, given_name: c.given_name, family_name: c.family_name,
    date_of_birth: c.date_of_birth, gender: c.gender, placement_id: pl.placement_id,
    placing_authority: pl.placing_authority, out_of_area: pl.out_of_area,
    placement_type: pl.placement_type, start_date: pl.start_date, legal_basis: pl.legal_basis,
    warning_markers: c.warning_markers, identity_key: c.identity_key,
    plans: [(c)-[:SUBJECT_OF]->(pp:ProtectionPlan)
            WHERE pp.start_date <= date($as_of)
              AND (pp.end_date IS NULL OR pp.end_date >= date($as_of))
            | {plan_id: pp.plan_id, category: pp.category, start_date: pp.start_date,
               local_authority: pp.local_authority, lead_professional: pp.lead_professional,
               lead_contact: pp.lead_contact}],
    missing: [(c)-[mi:INVOLVED_IN]->(m:Incident)
              WHERE m.incident_type = 'missing' AND mi.role IN ['missing_person', 'subject']
                AND m.occurred_on >= date($missing_since) AND m.occurred_on <= date($as_of)
              | {incident_id: m.incident_id, occurred_at: m.occurred_at,
                 returned_at: m.returned_at}]
  }) AS placed
}
CALL (a) {
  MATCH (i)-[:AT]->(a)
  WHERE i:Incident AND i.incident_type IN $safety_types AND i.occurred_on >= date($since)
    AND i.occurred_on <= date($as_of)
  RETURN collect({
    incident_id: i.incident_id, incident_type: i.incident_type, occurred_at: i.occurred_at,
    risk_grade: i.risk_grade, dash_score: i.dash_score, crime_ref: i.crime_ref
  }) AS incidents
}
RETURN a.warning_markers AS address_markers, residents, placed, incidents
