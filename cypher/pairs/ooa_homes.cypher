// The other side of the proximity rule's pairs (ooa_child_near_high_risk_offender): the current
// home of every high-risk registered offender (RoSH in $rosh_levels, registered as of the day)
// and of every subject of an active order that prohibits child contact, under any of the
// person's linked records (SAME_AS, grouped by identity_key): one row per person and home, with
// the person's active child-contact orders and whether the person is a high-risk offender.
// graphsvc/rules/pairs.py pairs these with the placements (pairs/ooa_placements).
CALL () {
  MATCH (hr:Offender)
  WHERE hr.rosh_level IN $rosh_levels
    AND hr.registered_from <= date($as_of)
    AND (hr.registered_until IS NULL OR hr.registered_until >= date($as_of))
  RETURN hr AS o, null AS order_id
  UNION
  MATCH (s:Person)-[:RESTRICTED_BY]->(po:Order)
  WHERE po.prohibits_child_contact = true
    AND po.start_date <= date($as_of)
    AND (po.end_date IS NULL OR po.end_date >= date($as_of))
  RETURN s AS o, po.order_id AS order_id
}
WITH o, collect(DISTINCT order_id) AS orders
OPTIONAL MATCH (ol:Person {identity_key: o.identity_key})
WITH o, orders, [o] + [x IN collect(DISTINCT ol) WHERE x <> o] AS records
UNWIND records AS rec
MATCH (rec)-[r:RESIDES_AT]->(home:Address)
WHERE coalesce(r.residence_type, 'home') = 'home'
  AND (r.start_date IS NULL OR r.start_date <= date($as_of))
  AND (r.end_date IS NULL OR r.end_date >= date($as_of))
  AND home.location IS NOT NULL
WITH DISTINCT o, orders, home
RETURN o.person_id AS person_id, coalesce(o.identity_key, o.person_id) AS person,
       o.rosh_level AS rosh_level, orders,
       coalesce(o:Offender AND o.rosh_level IN $rosh_levels
                AND o.registered_from <= date($as_of)
                AND (o.registered_until IS NULL OR o.registered_until >= date($as_of)), false)
         AS high_risk,
       home.address_id AS address_id,
       coalesce(home.latitude, home.location.latitude) AS latitude,
       coalesce(home.longitude, home.location.longitude) AS longitude
