// Returns one row that changes whenever the set of addresses where registered offenders (or
// records linked to them) have lived, or those addresses' coordinates, can have changed: link,
// record and offender counts, the offenders' identity keys, and the newest updated_at of the
// links, records and addresses. Why: the address check keeps these addresses in memory and
// reloads them only when this row changes.
MATCH (o:Offender)
WITH o, o.identity_key AS key
OPTIONAL MATCH (linked:Person {identity_key: key})
WITH o, coalesce(linked, o) AS p
MATCH (p)-[r:RESIDES_AT]->(h)
RETURN count(r) AS links, count(DISTINCT p) AS records, count(DISTINCT o) AS offenders,
       max(r.updated_at) AS links_at, max(p.updated_at) AS records_at,
       max(h.updated_at) AS addresses_at
