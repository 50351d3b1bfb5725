// Flags with one of the given statuses that concern (a CONCERNS link) any of the given people,
// addresses, placements, protection plans, orders or incidents, as flags/for_entities reads
// them (same columns, same walk from each kind's indexed key), for the kinds an address check
// has keys of only. Why: the address check sends this on every check, and FalkorDB 4.16
// spends about 0.06 ms of engine CPU on each branch of a UNION even when its list is empty:
// without the vehicle and phone branches, which an address check never fills, the statement
// took 0.46 ms of engine CPU a check against 0.62 (county, bench address_engine).
MATCH (e:Person)<-[:CONCERNS]-(f)
WHERE e.person_id IN $person_ids AND f:Flag
WITH DISTINCT f
WHERE f.status IN $statuses
RETURN f {.flag_id, .rule_id, .severity, .status, .summary, .entity_keys, .concerned_keys,
          .first_seen, .last_seen, .as_of, .status_changed_at, .last_run_id} AS flag
UNION
MATCH (e:Address)<-[:CONCERNS]-(f)
WHERE e.address_id IN $address_ids AND f:Flag
WITH DISTINCT f
WHERE f.status IN $statuses
RETURN f {.flag_id, .rule_id, .severity, .status, .summary, .entity_keys, .concerned_keys,
          .first_seen, .last_seen, .as_of, .status_changed_at, .last_run_id} AS flag
UNION
MATCH (e:Placement)<-[:CONCERNS]-(f)
WHERE e.placement_id IN $placement_ids AND f:Flag
WITH DISTINCT f
WHERE f.status IN $statuses
RETURN f {.flag_id, .rule_id, .severity, .status, .summary, .entity_keys, .concerned_keys,
          .first_seen, .last_seen, .as_of, .status_changed_at, .last_run_id} AS flag
UNION
MATCH (e:ProtectionPlan)<-[:CONCERNS]-(f)
WHERE e.plan_id IN $plan_ids AND f:Flag
WITH DISTINCT f
WHERE f.status IN $statuses
RETURN f {.flag_id, .rule_id, .severity, .status, .summary, .entity_keys, .concerned_keys,
          .first_seen, .last_seen, .as_of, .status_changed_at, .last_run_id} AS flag
UNION
MATCH (e:Order)<-[:CONCERNS]-(f)
WHERE e.order_id IN $order_ids AND f:Flag
WITH DISTINCT f
WHERE f.status IN $statuses
RETURN f {.flag_id, .rule_id, .severity, .status, .summary, .entity_keys, .concerned_keys,
          .first_seen, .last_seen, .as_of, .status_changed_at, .last_run_id} AS flag
UNION
MATCH (e:Incident)<-[:CONCERNS]-(f)
WHERE e.incident_id IN $incident_ids AND f:Flag
WITH DISTINCT f
WHERE f.status IN $statuses
RETURN f {.flag_id, .rule_id, .severity, .status, .summary, .entity_keys, .concerned_keys,
          .first_seen, .last_seen, .as_of, .status_changed_at, .last_run_id} AS flag
