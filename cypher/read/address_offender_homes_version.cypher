// Returns one row that changes whenever the addresses where registered offenders (or records
// linked to them) have lived, who lived there when, those addresses' coordinates or the
// offenders' registration dates can have changed: link, record and offender counts, and the
// newest updated_at of the links, records, offenders and addresses. Why: the address check
// keeps these addresses and residences in memory and reloads them only when this row changes.
MATCH (o:Offender)
WITH o, o.identity_key AS key
OPTIONAL MATCH (linked:Person {identity_key: key})
WITH o, coalesce(linked, o) AS p
MATCH (p)-[r:RESIDES_AT]->(h)
RETURN count(r) AS links, count(DISTINCT p) AS records, count(DISTINCT o) AS offenders,
       max(r.updated_at) AS links_at, max(p.updated_at) AS records_at,
       max(o.updated_at) AS offenders_at, max(h.updated_at) AS addresses_at
