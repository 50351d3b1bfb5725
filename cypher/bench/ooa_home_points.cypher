// Coordinates of the current homes of everyone who could be the other side of the proximity
// rule (any current home): the benchmark's k-d tree joins these with the placement addresses.
MATCH (o:Person)-[r:RESIDES_AT]->(oa:Address)
WHERE coalesce(r.residence_type, 'home') = 'home'
  AND (r.start_date IS NULL OR r.start_date <= date($as_of))
  AND (r.end_date IS NULL OR r.end_date >= date($as_of))
  AND oa.latitude IS NOT NULL
  AND (o:Offender OR (o)-[:RESTRICTED_BY]->(:Order))
RETURN DISTINCT oa.address_id AS address_id, oa.latitude AS latitude, oa.longitude AS longitude
