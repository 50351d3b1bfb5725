// Tests only: the node named by a business key, with its label, and the business keys and
// labels of its neighbours: what a deletion changes (the record and the records it was linked to).
MATCH (n)
WHERE coalesce(n.person_id, n.address_id, n.order_id, n.placement_id, n.plan_id,
               n.incident_id) = $key
OPTIONAL MATCH (n)-[]-(m)
RETURN labels(n) AS labels,
       collect({labels: labels(m), key: coalesce(m.person_id, m.address_id, m.order_id,
                                                 m.placement_id, m.plan_id, m.incident_id,
                                                 m.vrm, m.number)}) AS neighbours
