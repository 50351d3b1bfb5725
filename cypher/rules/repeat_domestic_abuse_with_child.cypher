// id: repeat_domestic_abuse_with_child
// title: Repeated domestic abuse with a child present
// short_title: Repeat domestic abuse
// phrase: repeated domestic abuse with a child in the household
// description: min_incidents or more domestic abuse incidents at one address within window_days days with a child present or living there, none of them graded high: the cumulative risk no single grading shows.
// severity: high
// param min_incidents: 3  (domestic abuse incidents that make a pattern)
// param window_days: 365  (days back from as_of that are counted)
// param high_grades: ['high']  (risk grades that mean the risk was already seen)
// finding: a family had seven domestic call-outs in twelve months, each graded low on its own, and no one looked at the cumulative risk to the child for eighteen months.
// returns: one row per address: identity, entities with roles, severity, summary, evidence (incidents with dates and grades, children present and living there) and the material items.
// An incident counts when a child took part in it (any role) or a child lives at the address
// (an active residence or placement on as_of); if any domestic abuse incident at the address in
// the window was graded high, the risk was seen and the address is not flagged. A child known
// under several linked records (SAME_AS, grouped by identity_key) is one child: a date of birth
// on any of them counts. (The WITH before each second OPTIONAL MATCH is needed: without it
// FalkorDB 4.16 loses the first one's variable when it matched nothing.)
// Entry: in an incremental run (graphsvc/rules/incremental.py) the anchored addresses, by
// index; in a full run ($anchors null opens the gate) every domestic abuse incident.
CALL () {
  UNWIND coalesce($anchor_address_ids, []) AS anchor
  MATCH (i:Incident)-[:AT]->(a:Address {address_id: anchor})
  RETURN i, a
  UNION
  UNWIND CASE WHEN $anchors IS NULL THEN [1] ELSE [] END AS full_run
  MATCH (i:Incident)-[:AT]->(a:Address)
  WHERE i.incident_type = 'domestic_abuse'
  RETURN i, a
}
WITH i, a
WHERE i.incident_type = 'domestic_abuse'
  AND i.occurred_on >= date($window_days_since)
  AND i.occurred_on <= date($as_of)
// An address with too few incidents, or one graded high, cannot be flagged whoever took part
// or lives there: left before the people are read (the counted incidents are among these).
WITH a, collect(i) AS window_incidents
WHERE size(window_incidents) >= $min_incidents
  AND none(x IN window_incidents WHERE x.risk_grade IN $high_grades)
UNWIND window_incidents AS i
OPTIONAL MATCH (cp:Person)-[:INVOLVED_IN]->(i)
WITH a, i, cp
OPTIONAL MATCH (cpl:Person {identity_key: cp.identity_key})
WITH a, i, cp, [cp] + [x IN collect(DISTINCT cpl) WHERE x <> cp] AS cp_records
WITH a, i, CASE WHEN any(x IN cp_records WHERE x.date_of_birth > date($born_after)
                                        AND x.date_of_birth <= date($as_of))
              THEN coalesce(cp.identity_key, cp.person_id) END AS cp_child
WITH a, i, collect(DISTINCT cp_child) AS present
WITH a, collect({incident_id: i.incident_id, occurred_on: i.occurred_on,
                 risk_grade: i.risk_grade, children_present: present}) AS incidents
OPTIONAL MATCH (lc:Person)-[lr:RESIDES_AT]->(a)
WHERE (lr.start_date IS NULL OR lr.start_date <= date($as_of))
  AND (lr.end_date IS NULL OR lr.end_date >= date($as_of))
WITH a, incidents, lc
OPTIONAL MATCH (lcl:Person {identity_key: lc.identity_key})
WITH a, incidents, lc, [lc] + [x IN collect(DISTINCT lcl) WHERE x <> lc] AS lc_records
WITH a, incidents, CASE WHEN any(x IN lc_records WHERE x.date_of_birth > date($born_after)
                                                AND x.date_of_birth <= date($as_of))
                      THEN coalesce(lc.identity_key, lc.person_id) END AS lc_child
WITH a, incidents, collect(DISTINCT lc_child) AS resident
OPTIONAL MATCH (pc:Person)-[:PLACED_IN]->(pl:Placement)-[:AT]->(a)
WHERE pl.start_date <= date($as_of)
  AND (pl.end_date IS NULL OR pl.end_date >= date($as_of))
WITH a, incidents, resident, pc
OPTIONAL MATCH (pcl:Person {identity_key: pc.identity_key})
WITH a, incidents, resident, pc, [pc] + [x IN collect(DISTINCT pcl) WHERE x <> pc] AS pc_records
WITH a, incidents, resident, CASE WHEN any(x IN pc_records WHERE x.date_of_birth > date($born_after)
                                                          AND x.date_of_birth <= date($as_of))
                                THEN coalesce(pc.identity_key, pc.person_id) END AS pc_child
WITH a, incidents, resident, collect(DISTINCT pc_child) AS placed
WITH a, incidents, [x IN placed WHERE NOT x IN resident] + resident AS living
WITH a, incidents, living,
     [x IN incidents WHERE size(living) > 0 OR size(x.children_present) > 0] AS counted
WHERE size(counted) >= $min_incidents
  AND none(x IN incidents WHERE x.risk_grade IN $high_grades)
WITH a, living, counted,
     reduce(acc = [], x IN counted | acc + [y IN x.children_present WHERE NOT y IN acc])
       AS present
WITH a, living, counted, present, [x IN present WHERE NOT x IN living] + living AS children
RETURN ['address_id=' + a.address_id] AS identity,
       [{label_key: 'address_id', key: a.address_id, role: 'address'}]
       + [x IN children | {label_key: 'person_id', key: x, role: 'child'}]
       + [x IN counted | {label_key: 'incident_id', key: x.incident_id, role: 'incident'}]
         AS entities,
       'high' AS severity,
       toString(size(counted)) + ' domestic abuse incidents in ' + toString($window_days)
       + ' days at address ' + a.address_id + ' with a child present or living there, none '
       + 'graded high.' AS summary,
       {incidents: counted, count: size(counted), children_living: living,
        children_present: present, window_days: $window_days, as_of: $as_of} AS evidence,
       [x IN counted | 'incident_id=' + x.incident_id] + [x IN children | 'person_id=' + toString(x)]
         AS material
