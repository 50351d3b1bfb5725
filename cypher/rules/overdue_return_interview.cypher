// id: overdue_return_interview
// title: Return home interview overdue
// short_title: Interview overdue
// phrase: return home interview overdue
// description: A missing episode of a child that ended more than overdue_hours hours before the moment the rule looks at with no return home interview.
// severity: medium
// param overdue_hours: 72  (hours after the return by which the interview should have happened)
// finding: CSE work protected the child but did too little to learn from each episode; the return home interview is where a child can say where they were and with whom.
// returns: one row per episode: identity, entities with roles, severity, summary, evidence (when the child went missing and returned) and the material items.
// $as_at is the moment the rule looks at: now when as_of is today, else the end of the as_of
// day. An interview recorded after $as_at had not happened then. A child known under several
// linked records (SAME_AS, grouped by identity_key) is one child: a date of birth on any counts.
// scope: incremental/incidents_touched  ($anchor_incident_ids, $anchor_person_ids: incremental runs start there)
// Entry: the anchored episodes and the episodes of anchored children, by index, in an
// incremental run; every missing episode in a full run ($anchors null opens the gate).
CALL () {
  UNWIND coalesce($anchor_incident_ids, []) AS anchor
  MATCH (m:Incident {incident_id: anchor})
  RETURN m
  UNION
  UNWIND coalesce($anchor_person_ids, []) AS anchor
  MATCH (p:Person {person_id: anchor})-[:INVOLVED_IN]->(m:Incident)
  RETURN m
  UNION
  UNWIND CASE WHEN $anchors IS NULL THEN [1] ELSE [] END AS full_run
  MATCH (m:Incident)
  WHERE m.incident_type = 'missing'
  RETURN m
}
WITH m  // FalkorDB binds what a subquery returns only after a WITH
MATCH (c:Person)-[mi:INVOLVED_IN]->(m)
WHERE m.incident_type = 'missing'
  AND mi.role IN ['missing_person', 'subject']
  AND m.returned_at IS NOT NULL
  AND m.returned_at < localdatetime($overdue_hours_before)
  AND (m.return_interview_at IS NULL OR m.return_interview_at > localdatetime($as_at))
  AND m.occurred_on <= date($as_of)
OPTIONAL MATCH (cl:Person {identity_key: c.identity_key})
WITH c, m, [c] + [x IN collect(DISTINCT cl) WHERE x <> c] AS records
WHERE any(x IN records WHERE x.date_of_birth > date($born_after)
                         AND x.date_of_birth <= date($as_of))
OPTIONAL MATCH (m)-[:AT]->(a:Address)
WITH c, m, collect(DISTINCT a.address_id) AS addresses
RETURN ['person_id=' + c.person_id, 'incident_id=' + m.incident_id] AS identity,
       [{label_key: 'person_id', key: c.person_id, role: 'child'},
        {label_key: 'incident_id', key: m.incident_id, role: 'incident'}] AS entities,
       'medium' AS severity,
       'Child ' + c.person_id + ' returned from missing episode ' + m.incident_id + ' on '
       + toString(m.returned_at) + ' and has had no return home interview.' AS summary,
       {incident_id: m.incident_id, occurred_at: toString(m.occurred_at),
        returned_at: toString(m.returned_at), missing_from: addresses,
        overdue_hours: $overdue_hours, as_at: $as_at, as_of: $as_of} AS evidence,
       [] AS material
