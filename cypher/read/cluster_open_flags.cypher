// Returns one row per flag that may be on the tasking board (its status in $statuses: the live
// ones, graphsvc.model.LIVE) with the people, addresses, vehicles and phones it concerns (key
// `label_key=value`, label, role, display name: the entities that join flags into clusters;
// incidents, orders and placements are read on the cluster page) and the action, owner and due
// date of its latest decision (kept on the Flag by flags/record_decisions).
// graphsvc.clusters.recompute clusters these rows; an actioned flag counts as open only while its
// latest decision holds an action. Nothing more is returned than the clustering and the board
// use: at county scale (5,000 flags) the client's decoding of each returned timestamp was most
// of the read on Neo4j.
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
  END,
  key: CASE
    WHEN e:Person THEN 'person_id=' + e.person_id
    WHEN e:Address THEN 'address_id=' + e.address_id
    WHEN e:Vehicle THEN 'vrm=' + e.vrm
    WHEN e:Phone THEN 'number=' + e.number
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
       entities, f.action AS action, f.owner AS owner, f.due_date AS due_date
ORDER BY flag_id
