// Returns the records behind business keys, one row per record found: its key (`label_key=value`),
// its labels and its properties. graphsvc.flag_text reads the people, addresses, incidents,
// orders, placements and plans a flag names, to describe it in words (names, ages, addresses).
UNWIND $person_ids AS k
MATCH (e:Person {person_id: k})
RETURN 'person_id=' + k AS key, labels(e) AS labels, e AS record
UNION ALL
UNWIND $address_ids AS k
MATCH (e:Address {address_id: k})
RETURN 'address_id=' + k AS key, labels(e) AS labels, e AS record
UNION ALL
UNWIND $incident_ids AS k
MATCH (e:Incident {incident_id: k})
RETURN 'incident_id=' + k AS key, labels(e) AS labels, e AS record
UNION ALL
UNWIND $order_ids AS k
MATCH (e:Order {order_id: k})
RETURN 'order_id=' + k AS key, labels(e) AS labels, e AS record
UNION ALL
UNWIND $placement_ids AS k
MATCH (e:Placement {placement_id: k})
RETURN 'placement_id=' + k AS key, labels(e) AS labels, e AS record
UNION ALL
UNWIND $plan_ids AS k
MATCH (e:ProtectionPlan {plan_id: k})
RETURN 'plan_id=' + k AS key, labels(e) AS labels, e AS record
