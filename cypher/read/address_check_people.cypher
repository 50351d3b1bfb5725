// Returns, for each of the people $person_ids, their register entry (when active on $as_of), the
// active orders that restrict them (with conditions and the people they protect) and their
// current homes and notified stays with coordinates. Why: the address check describes, by
// distance and direction, the offenders an open flag or a protective order ties to an address,
// wherever they live.
MATCH (p:Person)
WHERE p.person_id IN $person_ids
RETURN p.person_id AS person_id, p.given_name AS given_name, p.family_name AS family_name,
  p.date_of_birth AS date_of_birth,
  'Offender' IN labels(p)
    AND p.registered_from <= date($as_of)
    AND (p.registered_until IS NULL OR p.registered_until >= date($as_of)) AS offender,
  p.rosh_level AS rosh_level, p.mappa_category AS mappa_category, p.mappa_level AS mappa_level,
  p.visor_ref AS visor_ref,
  [(p)-[x:RESTRICTED_BY]->(o:Order)
   WHERE o.start_date <= date($as_of) AND (o.end_date IS NULL OR o.end_date >= date($as_of))
   | {order_id: o.order_id, order_type: o.order_type, end_date: o.end_date,
      prohibits_child_contact: o.prohibits_child_contact, conditions: o.conditions}] AS orders,
  [(p)-[r:RESIDES_AT]->(h:Address)
   WHERE r.residence_type IN ['home', 'notified_stay']
     AND (r.start_date IS NULL OR r.start_date <= date($as_of))
     AND (r.end_date IS NULL OR r.end_date >= date($as_of))
   | {address_id: h.address_id, residence_type: r.residence_type, latitude: h.latitude,
      longitude: h.longitude}] AS homes
