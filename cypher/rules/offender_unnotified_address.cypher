// id: offender_unnotified_address
// title: Offender living at an address the register does not hold
// short_title: Unnotified address
// phrase: registered offender at an address the register does not hold
// description: A registered offender (active registration) whose linked records from other sources show a current home or stay, begun more than notify_days days before as_of, at an address the register does not hold for them (neither the address nor one with the same UPRN).
// severity: high; critical when a child lives at the address (a child's current home, or an active placement there)
// param notify_days: 3  (days within which a change of home address must be notified: Sexual Offences Act 2003)
// param residence_types: ['home', 'notified_stay', 'temporary', 'household_contact']  (links to an address that count as living or staying there)
// finding: control rooms could not see offender risk held in other systems; an offender living at an address the register does not hold is invisible to the address check.
// returns: one row per offender and address: identity, entities with roles, severity, summary, evidence (which records show which stays since when, the register's addresses, the children there) and the material items.
// The offender's other records are those linked to the register record (SAME_AS, grouped by
// identity_key). A stay without a start date counts as begun long ago.
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
WHERE o.identity_key IS NOT NULL
  AND o.registered_from <= date($as_of)
  AND (o.registered_until IS NULL OR o.registered_until >= date($as_of))
MATCH (rec:Person {identity_key: o.identity_key})-[r:RESIDES_AT]->(a:Address)
WHERE rec <> o
  AND coalesce(r.residence_type, 'home') IN $residence_types
  AND (r.start_date IS NULL OR r.start_date < date($notify_days_since))
  AND (r.end_date IS NULL OR r.end_date >= date($as_of))
OPTIONAL MATCH (o)-[nr:RESIDES_AT]->(held:Address)
WHERE (nr.start_date IS NULL OR nr.start_date <= date($as_of))
  AND (nr.end_date IS NULL OR nr.end_date >= date($as_of))
  AND (held = a OR (a.uprn IS NOT NULL AND held.uprn = a.uprn))
WITH o, rec, r, a, count(held) AS held_there
WHERE held_there = 0
WITH o, a, collect(DISTINCT {record: rec.person_id, source: rec.source,
                             residence_type: coalesce(r.residence_type, 'home'),
                             start_date: r.start_date}) AS stays
// A resident or placed person is a child when any of its linked records says so (the date of
// birth may be known only to children's services).
OPTIONAL MATCH (hc:Person)-[hr:RESIDES_AT]->(a)
WHERE coalesce(hr.residence_type, 'home') = 'home'
  AND (hr.start_date IS NULL OR hr.start_date <= date($as_of))
  AND (hr.end_date IS NULL OR hr.end_date >= date($as_of))
  AND coalesce(hc.identity_key, hc.person_id) <> o.identity_key
WITH o, a, stays, hc
OPTIONAL MATCH (hcl:Person {identity_key: hc.identity_key})
WITH o, a, stays, hc, [hc] + collect(DISTINCT hcl) AS hc_records
WITH o, a, stays,
     collect(DISTINCT CASE WHEN any(x IN hc_records WHERE x.date_of_birth > date($born_after)
                                                    AND x.date_of_birth <= date($as_of))
                      THEN hc.person_id END) AS at_home
OPTIONAL MATCH (pc:Person)-[:PLACED_IN]->(pl:Placement)-[:AT]->(a)
WHERE pl.start_date <= date($as_of)
  AND (pl.end_date IS NULL OR pl.end_date >= date($as_of))
WITH o, a, stays, at_home, pc
OPTIONAL MATCH (pcl:Person {identity_key: pc.identity_key})
WITH o, a, stays, at_home, pc, [pc] + collect(DISTINCT pcl) AS pc_records
WITH o, a, stays, at_home,
     collect(DISTINCT CASE WHEN any(x IN pc_records WHERE x.date_of_birth > date($born_after)
                                                    AND x.date_of_birth <= date($as_of))
                      THEN pc.person_id END) AS placed
OPTIONAL MATCH (o)-[kr:RESIDES_AT]->(known:Address)
WHERE (kr.end_date IS NULL OR kr.end_date >= date($as_of))
WITH o, a, stays, at_home, placed, collect(DISTINCT known.address_id) AS register_addresses
WITH o, a, stays, register_addresses,
     at_home + [x IN placed WHERE NOT x IN at_home] AS children
RETURN ['person_id=' + o.person_id, 'address_id=' + a.address_id]
       + [s IN stays | 'person_id=' + s.record] AS identity,
       [{label_key: 'person_id', key: o.person_id, role: 'offender'},
        {label_key: 'address_id', key: a.address_id, role: 'unnotified_address'}]
       + [s IN stays | {label_key: 'person_id', key: s.record, role: 'offender'}]
       + [x IN children | {label_key: 'person_id', key: x, role: 'child'}] AS entities,
       CASE WHEN size(children) > 0 THEN 'critical' ELSE 'high' END AS severity,
       'Registered offender ' + o.person_id + ' is recorded by ' + stays[0].source
       + ' (record ' + stays[0].record + ') with a ' + replace(stays[0].residence_type, '_', ' ')
       + ' at ' + a.address_id + ', an address the register does not hold'
       + CASE WHEN size(children) > 0 THEN ', where a child lives' ELSE '' END + '.' AS summary,
       {stays: stays, register_addresses: register_addresses, children: children,
        notify_days: $notify_days, rosh_level: o.rosh_level, as_of: $as_of} AS evidence,
       [s IN stays | 'person_id=' + s.record] + [x IN children | 'person_id=' + toString(x)] AS material
