// id: repeat_missing_child
// title: Child repeatedly missing
// short_title: Repeatedly missing
// phrase: child repeatedly missing
// description: A child with min_episodes or more missing episodes in the window_days days up to as_of.
// severity: medium; high when the child is in an active out-of-area placement or any of those episodes has a CSE concern (a cse_concern incident involving the child in the same window)
// param min_episodes: 3  (missing episodes that make a pattern)
// param window_days: 90  (days back from as_of that are counted)
// finding: CSE work protected the child but did too little about the adults involved; repeated missing episodes are the commonest early sign.
// A child known under several linked records (SAME_AS, grouped by identity_key) is one child:
// episodes under any of the records count together, and the flag concerns every record.
// returns: one row per child: identity, entities with roles, severity, summary, evidence (episodes with dates, CSE concerns, out-of-area placements) and the material items (the episodes).
// Entry: in an incremental run (graphsvc/rules/incremental.py) every record of each anchored
// child (its own and its linked ones), by index; in a full run ($anchors null opens the gate)
// every missing episode.
CALL () {
  UNWIND coalesce($anchor_person_ids, []) AS anchor
  MATCH (p:Person {person_id: anchor})
  WITH DISTINCT coalesce(p.identity_key, p.person_id) AS who
  MATCH (x:Person {identity_key: who})
  RETURN x
  UNION
  UNWIND coalesce($anchor_person_ids, []) AS anchor
  MATCH (p:Person {person_id: anchor})
  WITH DISTINCT coalesce(p.identity_key, p.person_id) AS who
  MATCH (x:Person {person_id: who})
  WHERE coalesce(x.identity_key, x.person_id) = who
  RETURN x
  UNION
  UNWIND CASE WHEN $anchors IS NULL THEN [1] ELSE [] END AS full_run
  MATCH (x:Person)-[:INVOLVED_IN]->(m:Incident)
  WHERE m.incident_type = 'missing'
  RETURN DISTINCT x
}
WITH x  // FalkorDB binds what a subquery returns only after a WITH
MATCH (x)-[mi:INVOLVED_IN]->(m:Incident)
WHERE m.incident_type = 'missing'
  AND mi.role IN ['missing_person', 'subject']
  AND m.occurred_on >= date($window_days_since)
  AND m.occurred_on <= date($as_of)
WITH coalesce(x.identity_key, x.person_id) AS who,
     collect(DISTINCT {incident_id: m.incident_id, occurred_on: m.occurred_on}) AS episodes
WHERE size(episodes) >= $min_episodes
MATCH (own:Person {person_id: who})
OPTIONAL MATCH (linked:Person {identity_key: who})
WITH who, episodes, own, collect(DISTINCT linked) AS linked
WITH who, episodes, [own] + [r IN linked WHERE r <> own] AS records
WHERE any(r IN records WHERE r.date_of_birth > date($born_after)
                          AND r.date_of_birth <= date($as_of))
UNWIND records AS c
OPTIONAL MATCH (c)-[:INVOLVED_IN]->(cse:Incident)
WHERE cse.incident_type = 'cse_concern'
  AND cse.occurred_on >= date($window_days_since)
  AND cse.occurred_on <= date($as_of)
WITH who, records, episodes, collect(DISTINCT cse.incident_id) AS cse_all
UNWIND records AS c
OPTIONAL MATCH (c)-[:PLACED_IN]->(pl:Placement)
WHERE pl.out_of_area = true
  AND pl.start_date <= date($as_of)
  AND (pl.end_date IS NULL OR pl.end_date >= date($as_of))
WITH who, [r IN records | r.person_id] AS ids, episodes, cse_all,
     collect(DISTINCT pl.placement_id) AS ooa
RETURN [i IN ids | 'person_id=' + i] AS identity,
       [i IN ids | {label_key: 'person_id', key: i, role: 'child'}]
       + [x IN episodes | {label_key: 'incident_id', key: x.incident_id, role: 'incident'}]
       + [x IN cse_all | {label_key: 'incident_id', key: x, role: 'cse_concern'}]
       + [x IN ooa | {label_key: 'placement_id', key: x, role: 'placement'}] AS entities,
       CASE WHEN size(ooa) > 0 OR size(cse_all) > 0 THEN 'high' ELSE 'medium' END AS severity,
       'Child ' + who + CASE WHEN size(ids) > 1 THEN ' (' + toString(size(ids))
         + ' linked records)' ELSE '' END + ' went missing ' + toString(size(episodes))
       + ' times in ' + toString($window_days) + ' days' + CASE WHEN size(ooa) > 0
         THEN ', placed out of area' ELSE '' END + CASE WHEN size(cse_all) > 0
         THEN ', with a CSE concern' ELSE '' END + '.' AS summary,
       {episodes: episodes, count: size(episodes), window_days: $window_days,
        cse_concerns: cse_all, out_of_area_placements: ooa, records: ids, as_of: $as_of}
         AS evidence,
       [x IN episodes | 'incident_id=' + x.incident_id] + [x IN cse_all | 'incident_id=' + x]
         AS material
