// Coordinates of the current homes of the proximity rule's candidate adults (registered
// offenders with a high RoSH and an active registration, and subjects of an active order that
// prohibits child contact): the benchmark's k-d tree joins these with the placement addresses.
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
MATCH (o)-[r:RESIDES_AT]->(oa:Address)
WHERE coalesce(r.residence_type, 'home') = 'home'
  AND (r.start_date IS NULL OR r.start_date <= date($as_of))
  AND (r.end_date IS NULL OR r.end_date >= date($as_of))
  AND oa.latitude IS NOT NULL
RETURN oa.address_id AS address_id, oa.latitude AS latitude, oa.longitude AS longitude
