// Flags with one of the given statuses that concern (a CONCERNS link) any of the given
// entities, one list of keys per kind: the address check, search and entity pages show these
// beside an entity. Each kind is found by its indexed key and walked back along its CONCERNS
// links, so the cost follows the entities asked about, not the number of flags. (A UNION
// subquery, not OPTIONAL MATCHes joined by collect: FalkorDB 4.16 collects an OPTIONAL MATCH
// on a label the graph does not hold yet as null.)
CALL {
  MATCH (e:Person)<-[:CONCERNS]-(f)
  WHERE e.person_id IN $person_ids AND f:Flag AND f.status IN $statuses
  RETURN f
  UNION
  MATCH (e:Address)<-[:CONCERNS]-(f)
  WHERE e.address_id IN $address_ids AND f:Flag AND f.status IN $statuses
  RETURN f
  UNION
  MATCH (e:Placement)<-[:CONCERNS]-(f)
  WHERE e.placement_id IN $placement_ids AND f:Flag AND f.status IN $statuses
  RETURN f
  UNION
  MATCH (e:ProtectionPlan)<-[:CONCERNS]-(f)
  WHERE e.plan_id IN $plan_ids AND f:Flag AND f.status IN $statuses
  RETURN f
  UNION
  MATCH (e:Order)<-[:CONCERNS]-(f)
  WHERE e.order_id IN $order_ids AND f:Flag AND f.status IN $statuses
  RETURN f
  UNION
  MATCH (e:Incident)<-[:CONCERNS]-(f)
  WHERE e.incident_id IN $incident_ids AND f:Flag AND f.status IN $statuses
  RETURN f
  UNION
  MATCH (e:Vehicle)<-[:CONCERNS]-(f)
  WHERE e.vrm IN $vrms AND f:Flag AND f.status IN $statuses
  RETURN f
  UNION
  MATCH (e:Phone)<-[:CONCERNS]-(f)
  WHERE e.number IN $numbers AND f:Flag AND f.status IN $statuses
  RETURN f
}
WITH DISTINCT f
RETURN f AS flag
ORDER BY CASE f.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 ELSE 2 END, f.last_seen DESC,
         f.flag_id
