// Returns one row per flag that may be on the tasking board (its status in $statuses: the live
// ones, graphsvc.model.LIVE) with the people, addresses, vehicles and phones it concerns (key
// `label_key=value`, label, role, display name: the entities that join flags into clusters;
// incidents, orders and placements are read on the cluster page) and the action, owner and due
// date of its latest decision (kept on the Flag by flags/record_decisions).
// graphsvc.clusters.recompute clusters these rows; an actioned flag counts as open only while its
// latest decision holds an action.
MATCH (f:Flag)
WHERE f.status IN $statuses
OPTIONAL MATCH (f)-[c:CONCERNS]->(e)
WHERE e:Person OR e:Address OR e:Vehicle OR e:Phone
WITH f, collect({
  role: c.role,
  label: CASE
    WHEN e:Person THEN 'Person'
    WHEN e:Address THEN 'Address'
    WHEN e:Vehicle THEN 'Vehicle'
    WHEN e:Phone THEN 'Phone'
    WHEN e:Placement THEN 'Placement'
    WHEN e:Order THEN 'Order'
    WHEN e:Incident THEN 'Incident'
    WHEN e:ProtectionPlan THEN 'ProtectionPlan'
  END,
  key: CASE
    WHEN e:Person THEN 'person_id=' + e.person_id
    WHEN e:Address THEN 'address_id=' + e.address_id
    WHEN e:Vehicle THEN 'vrm=' + e.vrm
    WHEN e:Phone THEN 'number=' + e.number
    WHEN e:Placement THEN 'placement_id=' + e.placement_id
    WHEN e:Order THEN 'order_id=' + e.order_id
    WHEN e:Incident THEN 'incident_id=' + e.incident_id
    WHEN e:ProtectionPlan THEN 'plan_id=' + e.plan_id
  END,
  name: CASE
    WHEN e:Person THEN trim(coalesce(e.given_name, '') + ' ' + coalesce(e.family_name, ''))
    WHEN e:Address THEN coalesce(e.line1, '') + ', ' + coalesce(e.postcode, '')
    ELSE null
  END,
  offender: e:Offender
}) AS entities
RETURN f.flag_id AS flag_id, f.rule_id AS rule_id, f.severity AS severity, f.status AS status,
       f.summary AS summary, f.first_seen AS first_seen, f.last_seen AS last_seen,
       f.status_changed_at AS status_changed_at, entities,
       f.action AS action, f.owner AS owner, f.due_date AS due_date, f.decided_at AS decided_at
ORDER BY flag_id
