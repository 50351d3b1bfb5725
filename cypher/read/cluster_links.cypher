// Returns the direct links between a cluster's own entities (a person's residences and
// intelligence associations with its other people, addresses, vehicles and phones), drawn as
// edges in the cluster's graph picture beside the flags' CONCERNS edges.
// $person_ids, $address_ids, $vrms, $numbers: the cluster's entities.
MATCH (p:Person)-[r:RESIDES_AT|ASSOCIATED_WITH]->(x)
WHERE p.person_id IN $person_ids
  AND (x.person_id IN $person_ids OR x.address_id IN $address_ids OR x.vrm IN $vrms
       OR x.number IN $numbers)
RETURN 'person_id=' + p.person_id AS source,
       CASE
         WHEN x:Person THEN 'person_id=' + x.person_id
         WHEN x:Address THEN 'address_id=' + x.address_id
         WHEN x:Vehicle THEN 'vrm=' + x.vrm
         ELSE 'number=' + x.number
       END AS target,
       type(r) AS type, coalesce(r.residence_type, r.relation) AS detail,
       r.start_date AS start_date, r.end_date AS end_date
ORDER BY source, target, type
