// Returns, for each listed person record, what a link to another record could make a rule
// see: whether it is on the register today, its current homes and stays (address, UPRN,
// type, start), the children (by date of birth) whose current home is one of those
// addresses, the addresses of its active placements, and its missing episodes.
// Why: the review queue ranks first a pair whose confirmation would raise a flag (an offender
// joined to a child's household or to an unnotified address, a placement joined to missing
// episodes) without linking anything.
UNWIND $ids AS id
MATCH (p:Person {person_id: id})
OPTIONAL MATCH (p)-[r:RESIDES_AT]->(a:Address)
WHERE (r.start_date IS NULL OR r.start_date <= date($as_of))
  AND (r.end_date IS NULL OR r.end_date >= date($as_of))
OPTIONAL MATCH (c:Person)-[cr:RESIDES_AT]->(a)
WHERE c <> p AND coalesce(cr.residence_type, 'home') = 'home'
  AND (cr.start_date IS NULL OR cr.start_date <= date($as_of))
  AND (cr.end_date IS NULL OR cr.end_date >= date($as_of))
  AND c.date_of_birth > date($born_after) AND c.date_of_birth <= date($as_of)
WITH p, r, a, collect(DISTINCT c.person_id) AS children
WITH p, collect(CASE WHEN a IS NULL THEN NULL ELSE {
  address_id: a.address_id, uprn: a.uprn, residence_type: coalesce(r.residence_type, 'home'),
  start_date: toString(r.start_date), children: children} END) AS homes
RETURN p.person_id AS person_id,
       'Offender' IN labels(p) AND p.registered_from <= date($as_of)
         AND (p.registered_until IS NULL OR p.registered_until >= date($as_of)) AS offender,
       homes,
       [(p)-[:PLACED_IN]->(pl:Placement)-[:AT]->(pa:Address)
        WHERE pl.start_date <= date($as_of) AND (pl.end_date IS NULL OR pl.end_date >= date($as_of))
        | pa.address_id] AS placements,
       size([(p)-[mi:INVOLVED_IN]->(m:Incident)
             WHERE m.incident_type = 'missing' AND mi.role IN ['missing_person', 'subject']
             | m.incident_id]) AS missing
