// id: offender_linked_to_care_setting
// title: Offender linked to a care setting
// short_title: Offender, care setting
// phrase: offender linked to a care setting
// description: A registered offender (active registration) or the subject of an active order living at, or associated with, a children's home, secure home, foster home or supported accommodation.
// severity: high
// param care_address_types: ['childrens_home', 'secure_home', 'foster_home', 'supported_accommodation']  (address types that are care settings)
// param care_placement_types: ['childrens_home', 'secure_home', 'foster', 'kinship_foster', 'supported_accommodation']  (an address with an active placement of these types is a care setting too)
// param order_types: ['shpo', 'sro', 'cawn', 'dvpo', 'restraining', 'non_molestation']  (orders whose subjects count)
// finding: many looked-after children lived in private children's homes the police knew little about, and CSE work did too little to identify the adults around them.
// A person known under several linked records (SAME_AS, grouped by identity_key) is one person:
// living at the care setting under one record and registered or under an order under another
// counts.
// returns: one row per offender or order subject and care-setting address: identity, entities with roles, severity, summary, evidence (how they are linked, registration, orders) and the material items.
// Entry: in an incremental run (graphsvc/rules/incremental.py) the anchored addresses, by
// index, that are care settings on as_of (of a care type, or with an active placement of one);
// in a full run ($anchors null opens the gates) every care setting.
CALL () {
  UNWIND coalesce($anchor_address_ids, []) AS anchor
  MATCH (cs:Address {address_id: anchor})
  WHERE cs.address_type IN $care_address_types
  RETURN cs
  UNION
  UNWIND coalesce($anchor_address_ids, []) AS anchor
  MATCH (cs:Address {address_id: anchor})
  WITH cs  // from the anchor: FalkorDB would otherwise scan every Placement for each anchor
  MATCH (cs)<-[:AT]-(care:Placement)
  WHERE care.placement_type IN $care_placement_types
    AND care.start_date <= date($as_of)
    AND (care.end_date IS NULL OR care.end_date >= date($as_of))
  RETURN cs
  UNION
  UNWIND CASE WHEN $anchors IS NULL THEN [1] ELSE [] END AS full_run
  MATCH (cs:Address)
  WHERE cs.address_type IN $care_address_types
  RETURN cs
  UNION
  UNWIND CASE WHEN $anchors IS NULL THEN [1] ELSE [] END AS full_run
  MATCH (care:Placement)-[:AT]->(cs:Address)
  WHERE care.placement_type IN $care_placement_types
    AND care.start_date <= date($as_of)
    AND (care.end_date IS NULL OR care.end_date >= date($as_of))
  RETURN cs
}
WITH cs  // FalkorDB binds what a subquery returns only after a WITH
OPTIONAL MATCH (lo:Person)-[lr:RESIDES_AT]->(cs)
WHERE (lr.start_date IS NULL OR lr.start_date <= date($as_of))
  AND (lr.end_date IS NULL OR lr.end_date >= date($as_of))
WITH cs, collect(DISTINCT {person_id: lo.person_id, how: 'lives_at',
                           detail: coalesce(lr.residence_type, 'home')}) AS living
OPTIONAL MATCH (ao:Person)-[ar:ASSOCIATED_WITH]->(cs)
WHERE ar.first_seen IS NULL OR ar.first_seen <= date($as_of)
WITH cs, living, collect(DISTINCT {person_id: ao.person_id, how: 'associated_with',
                                   detail: ar.relation}) AS associated
UNWIND [x IN living + associated WHERE x.person_id IS NOT NULL] AS link
MATCH (o:Person {person_id: link.person_id})
OPTIONAL MATCH (ol:Person {identity_key: o.identity_key})
WITH cs, link, o, [o] + [x IN collect(DISTINCT ol) WHERE x <> o] AS records
UNWIND records AS rec
OPTIONAL MATCH (rec)-[:RESTRICTED_BY]->(ord:Order)
WHERE ord.order_type IN $order_types
  AND ord.start_date <= date($as_of)
  AND (ord.end_date IS NULL OR ord.end_date >= date($as_of))
WITH cs, o, link, rec, collect(DISTINCT ord.order_id) AS own_orders,
     coalesce(rec:Offender AND rec.registered_from <= date($as_of)
              AND (rec.registered_until IS NULL OR rec.registered_until >= date($as_of)),
              false) AS own_registered
WITH cs, o, link, collect(own_orders) AS order_lists, collect(own_registered) AS registrations,
     collect(CASE WHEN own_registered THEN rec.rosh_level END) AS rosh_levels
WITH cs, o, link, rosh_levels, any(x IN registrations WHERE x) AS registered,
     reduce(acc = [], x IN order_lists | acc + [y IN x WHERE NOT y IN acc]) AS orders
WHERE registered OR size(orders) > 0
WITH cs, coalesce(o.identity_key, o.person_id) AS person, orders, registered, rosh_levels,
     collect(DISTINCT link.how + ':' + link.detail) AS links
RETURN ['person_id=' + person, 'address_id=' + cs.address_id] AS identity,
       [{label_key: 'person_id', key: person,
         role: CASE WHEN registered THEN 'offender' ELSE 'order_subject' END},
        {label_key: 'address_id', key: cs.address_id, role: 'care_setting'}]
       + [x IN orders | {label_key: 'order_id', key: x, role: 'order'}] AS entities,
       'high' AS severity,
       CASE WHEN registered THEN 'Registered offender ' ELSE 'Order subject ' END
       + person + ' ' + CASE WHEN any(x IN links WHERE x STARTS WITH 'lives_at')
         THEN 'lives at' ELSE 'is associated with' END + ' care setting ' + cs.address_id
       + ' (' + replace(coalesce(cs.address_type, 'care placement address'), '_', ' ') + ').'
         AS summary,
       {links: links, registered: registered, rosh_level: rosh_levels[0], orders: orders,
        address_type: cs.address_type, as_of: $as_of} AS evidence,
       links + [x IN orders | 'order_id=' + x] AS material
