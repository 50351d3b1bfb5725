// One side of the proximity rule's pairs (ooa_child_near_high_risk_offender): the address of
// every active out-of-area placement of a child, one row per placement, with its child.
// graphsvc/rules/pairs.py pairs these with the homes (pairs/ooa_homes) within the radius.
MATCH (pl:Placement)
WHERE pl.out_of_area = true
  AND pl.start_date <= date($as_of)
  AND (pl.end_date IS NULL OR pl.end_date >= date($as_of))
MATCH (c:Person)-[:PLACED_IN]->(pl)-[:AT]->(pa:Address)
WHERE c.date_of_birth > date($born_after)
  AND c.date_of_birth <= date($as_of)
  AND pa.location IS NOT NULL
RETURN c.person_id AS person_id, coalesce(c.identity_key, c.person_id) AS person,
       pl.placement_id AS placement_id, pa.address_id AS address_id,
       coalesce(pa.latitude, pa.location.latitude) AS latitude,
       coalesce(pa.longitude, pa.location.longitude) AS longitude
