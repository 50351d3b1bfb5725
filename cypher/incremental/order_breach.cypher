// Scope of order_breach for an incremental run: `person_id=` keys of the order subjects (where
// the rule starts) and children whose flags the changed records can affect. One row per key.
// Why: the rule looks from a subject to its orders, then to children in the same incident or
// association (or protected by a CAWN); a changed person, order (its subject, the children it
// protects) or incident (everyone in it) affects them, and a child affects the subjects it met,
// under whichever of a subject's records it met (the order may be on another of them).
MATCH (p:Person)
WHERE p.person_id IN $person_ids
RETURN 'person_id=' + p.person_id AS key
UNION
MATCH (s:Person)-[:RESTRICTED_BY]->(o:Order)
WHERE o.order_id IN $order_ids
RETURN 'person_id=' + s.person_id AS key
UNION
MATCH (o:Order)-[:PROTECTS]->(c:Person)
WHERE o.order_id IN $order_ids
RETURN 'person_id=' + c.person_id AS key
UNION
MATCH (p:Person)-[:INVOLVED_IN]->(i:Incident)
WHERE i.incident_id IN $incident_ids
RETURN 'person_id=' + p.person_id AS key
UNION
MATCH (c:Person)-[:INVOLVED_IN]->(:Incident)<-[:INVOLVED_IN]-(s:Person)-[:RESTRICTED_BY]->(:Order)
WHERE c.person_id IN $person_ids
RETURN 'person_id=' + s.person_id AS key
UNION
MATCH (c:Person)-[:ASSOCIATED_WITH]-(s:Person)-[:RESTRICTED_BY]->(:Order)
WHERE c.person_id IN $person_ids
RETURN 'person_id=' + s.person_id AS key
UNION
MATCH (c:Person)-[:INVOLVED_IN]->(:Incident)<-[:INVOLVED_IN]-(x:Person)
WHERE c.person_id IN $person_ids
WITH DISTINCT x WHERE x.identity_key IS NOT NULL  // else FalkorDB joins all
MATCH (s:Person {identity_key: x.identity_key})-[:RESTRICTED_BY]->(:Order)
RETURN 'person_id=' + s.person_id AS key
UNION
MATCH (c:Person)-[:ASSOCIATED_WITH]-(x:Person)
WHERE c.person_id IN $person_ids
WITH DISTINCT x WHERE x.identity_key IS NOT NULL  // else FalkorDB joins all
MATCH (s:Person {identity_key: x.identity_key})-[:RESTRICTED_BY]->(:Order)
RETURN 'person_id=' + s.person_id AS key
