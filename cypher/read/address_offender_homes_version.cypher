// Returns one row that changes whenever the set of addresses where registered offenders have
// lived, or those addresses' coordinates, can have changed: link and offender counts and the
// newest updated_at of the links, offenders and addresses. Why: the address check keeps these
// addresses in memory and reloads them only when this row changes.
MATCH (o:Offender)-[r:RESIDES_AT]->(h)
RETURN count(r) AS links, count(DISTINCT o) AS offenders, max(r.updated_at) AS links_at,
       max(o.updated_at) AS offenders_at, max(h.updated_at) AS addresses_at
