// Returns the protection plans, placements and orders of the people a referral is about (one
// row each: kind, person, reference, type or category, dates, authority or conditions), for
// the history a referral to children's social care or a MARAC sets out.
UNWIND $person_ids AS k
MATCH (p:Person {person_id: k})-[:SUBJECT_OF]->(x:ProtectionPlan)
RETURN 'plan' AS kind, k AS person_id, x.plan_id AS ref, x.category AS detail,
       x.start_date AS start_date, x.end_date AS end_date, x.local_authority AS authority
UNION ALL
UNWIND $person_ids AS k
MATCH (p:Person {person_id: k})-[:PLACED_IN]->(x:Placement)
RETURN 'placement' AS kind, k AS person_id, x.placement_id AS ref, x.placement_type AS detail,
       x.start_date AS start_date, x.end_date AS end_date, x.placing_authority AS authority
UNION ALL
UNWIND $person_ids AS k
MATCH (p:Person {person_id: k})-[:RESTRICTED_BY]->(x:Order)
RETURN 'order' AS kind, k AS person_id, x.order_id AS ref, x.order_type AS detail,
       x.start_date AS start_date, x.end_date AS end_date, x.conditions AS authority
UNION ALL
UNWIND $person_ids AS k
MATCH (x:Order)-[:PROTECTS]->(p:Person {person_id: k})
RETURN 'protected_by' AS kind, k AS person_id, x.order_id AS ref, x.order_type AS detail,
       x.start_date AS start_date, x.end_date AS end_date, x.conditions AS authority
