// Flags with one of the given statuses that concern (a CONCERNS link) any of the given
// entities, one list of keys per kind, without their evidence and material keys (tens of
// kilobytes on a large flag; the flag page reads those), once each and in no particular order
// (the caller sorts). The address check, search and entity pages show these beside an entity.
// Each kind is found by its indexed key and walked back along its CONCERNS links, so the cost
// follows the entities asked about, not the number of flags; the status is tested after the
// walk, or FalkorDB 4.16 starts from the Flag status index and walks every flag's links
// (300 ms a kind at county scale instead of 1 ms).
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
UNION
MATCH (e:Vehicle)<-[:CONCERNS]-(f)
WHERE e.vrm IN $vrms AND f:Flag
WITH DISTINCT f
WHERE f.status IN $statuses
RETURN f {.flag_id, .rule_id, .severity, .status, .summary, .entity_keys, .concerned_keys,
          .first_seen, .last_seen, .as_of, .status_changed_at, .last_run_id} AS flag
UNION
MATCH (e:Phone)<-[:CONCERNS]-(f)
WHERE e.number IN $numbers AND f:Flag
WITH DISTINCT f
WHERE f.status IN $statuses
RETURN f {.flag_id, .rule_id, .severity, .status, .summary, .entity_keys, .concerned_keys,
          .first_seen, .last_seen, .as_of, .status_changed_at, .last_run_id} AS flag
