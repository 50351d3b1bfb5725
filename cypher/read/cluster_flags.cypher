// Returns the flags of one cluster as they stand now (status, summary, evidence as JSON text,
// dates) with the entities a flag concerns (key `label_key=value`, label, role, display name),
// people, addresses, vehicles and phones first, at most $max_entities of them (a flag can concern
// hundreds of incidents), and how many there are, for the cluster page of the tasking board.
// $flag_ids: the cluster's flag ids.
MATCH (f:Flag)
WHERE f.flag_id IN $flag_ids
OPTIONAL MATCH (f)-[c:CONCERNS]->(e)
WITH f, c, e, (e:Person OR e:Address OR e:Vehicle OR e:Phone) AS links
ORDER BY links DESC
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
    WHEN e:Order THEN e.order_type
    WHEN e:Placement THEN e.placement_type
    WHEN e:Incident THEN e.incident_type
    WHEN e:ProtectionPlan THEN e.category
    ELSE null
  END,
  offender: e:Offender,
  date_of_birth: e.date_of_birth,
  rosh_level: e.rosh_level
}) AS entities
RETURN f.flag_id AS flag_id, f.rule_id AS rule_id, f.severity AS severity, f.status AS status,
       f.summary AS summary, f.evidence_json AS evidence_json, f.first_seen AS first_seen,
       f.last_seen AS last_seen, f.status_changed_at AS status_changed_at,
       f.resolved_at AS resolved_at, f.reopened_at AS reopened_at,
       entities[0..$max_entities] AS entities, size(entities) AS entity_count
ORDER BY flag_id
