// Tests only: every relationship as {from, type, to, props}, ends named by their business key.
MATCH (a)-[r]->(b)
RETURN coalesce(a.person_id, a.address_id, a.order_id, a.placement_id, a.plan_id,
    a.incident_id, a.vrm, a.number) AS from,
  type(r) AS type,
  coalesce(b.person_id, b.address_id, b.order_id, b.placement_id, b.plan_id, b.incident_id,
    b.vrm, b.number) AS to,
  properties(r) AS props
