// Returns vehicles whose registration mark begins with $vrm (upper case, no spaces), with the
// people linked to each and how (the association's own relation: uses_vehicle, seen_with...).
// Why: officers search a mark as seen (exact, or the first characters when it was partly read).
MATCH (v:Vehicle)
WHERE v.vrm STARTS WITH $vrm
OPTIONAL MATCH (p:Person)-[r:ASSOCIATED_WITH]->(v)
WITH v, collect(DISTINCT {name: coalesce(p.given_name + ' ', '') + coalesce(p.family_name, ''),
                          relation: r.relation}) AS users
RETURN v.vrm AS vrm, users
ORDER BY size(v.vrm), v.vrm
LIMIT $limit
