// id: repeat_missing_child
// description: A child with min_episodes or more missing episodes in the window_days days up to as_of.
// severity: medium; high when the child is in an active out-of-area placement or any of those episodes has a CSE concern
// param min_episodes: 3  (missing episodes that make a pattern)
// param window_days: 90  (days back from as_of that are counted)
// param cse_link_days: 7  (a cse_concern incident involving the child within this many days of an episode is that episode's CSE concern)
// finding: CSE work protected the child but did too little about the adults involved; repeated missing episodes are the commonest early sign.
// returns: one row per child: identity, entities with roles, severity, summary, evidence (episodes with dates, CSE concerns, out-of-area placements) and the material items (the episodes).
MATCH (c:Person)-[mi:INVOLVED_IN]->(m:Incident)
WHERE m.incident_type = 'missing'
  AND mi.role IN ['missing_person', 'subject']
  AND m.occurred_on >= date($as_of) - duration({days: $window_days})
  AND m.occurred_on <= date($as_of)
  AND c.date_of_birth > date($as_of) - duration({years: 18})
  AND c.date_of_birth <= date($as_of)
OPTIONAL MATCH (c)-[:INVOLVED_IN]->(cse:Incident)
WHERE cse.incident_type = 'cse_concern'
  AND cse.occurred_on >= m.occurred_on - duration({days: $cse_link_days})
  AND cse.occurred_on <= m.occurred_on + duration({days: $cse_link_days})
  AND cse.occurred_on <= date($as_of)
WITH c, m, collect(DISTINCT cse.incident_id) AS cse_ids
WITH c, collect({incident_id: m.incident_id, occurred_on: m.occurred_on,
                 cse_concerns: cse_ids}) AS episodes
WHERE size(episodes) >= $min_episodes
WITH c, episodes,
     reduce(acc = [], x IN episodes | acc + [y IN x.cse_concerns WHERE NOT y IN acc]) AS cse_all
OPTIONAL MATCH (c)-[:PLACED_IN]->(pl:Placement)
WHERE pl.out_of_area = true
  AND pl.start_date <= date($as_of)
  AND (pl.end_date IS NULL OR pl.end_date >= date($as_of))
WITH c, episodes, cse_all, collect(DISTINCT pl.placement_id) AS ooa
RETURN ['person_id=' + c.person_id] AS identity,
       [{label_key: 'person_id', key: c.person_id, role: 'child'}]
       + [x IN episodes | {label_key: 'incident_id', key: x.incident_id, role: 'incident'}]
       + [x IN cse_all | {label_key: 'incident_id', key: x, role: 'cse_concern'}]
       + [x IN ooa | {label_key: 'placement_id', key: x, role: 'placement'}] AS entities,
       CASE WHEN size(ooa) > 0 OR size(cse_all) > 0 THEN 'high' ELSE 'medium' END AS severity,
       'Child ' + c.person_id + ' went missing ' + toString(size(episodes)) + ' times in '
       + toString($window_days) + ' days' + CASE WHEN size(ooa) > 0
         THEN ', placed out of area' ELSE '' END + CASE WHEN size(cse_all) > 0
         THEN ', with a CSE concern' ELSE '' END + '.' AS summary,
       {episodes: episodes, count: size(episodes), window_days: $window_days,
        cse_concerns: cse_all, out_of_area_placements: ooa, as_of: $as_of} AS evidence,
       [x IN episodes | 'incident_id=' + x.incident_id] + [x IN cse_all | 'incident_id=' + x]
         AS material
