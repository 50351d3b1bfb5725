// id: long_running_child_abuse_investigation
// title: Long-running child abuse investigation
// short_title: Long investigation
// phrase: long-running child abuse investigation
// description: An open crime with a child victim (sexual offence, neglect, violence, CSE) first reported more than open_days days before as_of.
// severity: medium
// param open_days: 90  (days after the first report from which an open investigation is flagged)
// param incident_types: ['sexual_offence', 'child_neglect', 'violence', 'cse_concern']  (incident types that are child abuse crimes)
// finding: child abuse investigations ran for many months without review.
// returns: one row per investigation: identity, entities with roles, severity, summary, evidence (crime reference, first reported, child victims, suspects) and the material items (the victims).
// A child victim is a victim under 18 on the date of the incident (compared as YYYYMMDD numbers:
// exact, with no date arithmetic in the engine). The status is the record's
// current one: an investigation closed since is not open. A victim known under several linked
// records (SAME_AS, grouped by identity_key) is one person: a date of birth on any of them counts.
// scope: incremental/incidents_touched  ($anchor_incident_ids: incremental runs start there)
// Entry: the anchored incidents by index in an incremental run; every incident in a full run
// ($anchors null: the gate's one row lets the second branch scan).
CALL () {
  UNWIND coalesce($anchor_incident_ids, []) AS anchor
  MATCH (i:Incident {incident_id: anchor})
  RETURN i
  UNION
  UNWIND CASE WHEN $anchors IS NULL THEN [1] ELSE [] END AS full_run
  MATCH (i:Incident)
  WHERE i.incident_type IN $incident_types
  RETURN i
}
WITH i  // FalkorDB binds what a subquery returns only after a WITH
MATCH (v:Person)-[vi:INVOLVED_IN]->(i)
WHERE i.incident_type IN $incident_types
  AND i.status = 'open'
  AND vi.role = 'victim'
  AND i.occurred_on < date($open_days_since)
OPTIONAL MATCH (vl:Person {identity_key: v.identity_key})
WITH i, v, [v] + [x IN collect(DISTINCT vl) WHERE x <> v] AS records
WHERE any(x IN records WHERE x.date_of_birth <= i.occurred_on
          AND (x.date_of_birth.year + 18) * 10000 + x.date_of_birth.month * 100
              + x.date_of_birth.day
              > i.occurred_on.year * 10000 + i.occurred_on.month * 100 + i.occurred_on.day)
WITH i, collect(DISTINCT coalesce(v.identity_key, v.person_id)) AS victims
OPTIONAL MATCH (s:Person)-[si:INVOLVED_IN]->(i)
WHERE si.role IN ['suspect', 'offender']
WITH i, victims, collect(DISTINCT coalesce(s.identity_key, s.person_id)) AS suspects
OPTIONAL MATCH (i)-[:AT]->(a:Address)
WITH i, victims, suspects, collect(DISTINCT a.address_id) AS addresses
RETURN ['incident_id=' + i.incident_id] AS identity,
       [{label_key: 'incident_id', key: i.incident_id, role: 'incident'}]
       + [x IN victims | {label_key: 'person_id', key: x, role: 'child'}]
       + [x IN suspects | {label_key: 'person_id', key: x, role: 'suspect'}]
       + [x IN addresses | {label_key: 'address_id', key: x, role: 'address'}] AS entities,
       'medium' AS severity,
       'The ' + replace(i.incident_type, '_', ' ') + ' investigation '
       + coalesce(i.crime_ref, i.incident_id) + ' with a child victim has been open since '
       + toString(i.occurred_on) + '.' AS summary,
       {incident_id: i.incident_id, crime_ref: i.crime_ref, incident_type: i.incident_type,
        first_reported: i.occurred_on, victims: victims, suspects: suspects, open_days: $open_days,
        as_of: $as_of} AS evidence,
       [x IN victims | 'person_id=' + x] AS material
