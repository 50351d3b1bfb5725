// Coordinates of the addresses of children's active out-of-area placements: one side of the
// proximity rule, for the benchmark's k-d tree comparison (bench/rules.py).
MATCH (c:Person)-[:PLACED_IN]->(pl:Placement)-[:AT]->(pa:Address)
WHERE pl.out_of_area = true
  AND pl.start_date <= date($as_of)
  AND (pl.end_date IS NULL OR pl.end_date >= date($as_of))
  AND c.date_of_birth > date($born_after)
  AND c.date_of_birth <= date($as_of)
  AND pa.latitude IS NOT NULL
RETURN DISTINCT pa.address_id AS address_id, pa.latitude AS latitude, pa.longitude AS longitude
