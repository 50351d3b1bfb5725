// Returns one row that changes whenever read/address_offender_facts can have changed: how many
// offenders and orders restricting them there are, and the newest updated_at of the offenders,
// of those orders and of their links (an import moves updated_at whenever a row's content
// changes; a person who leaves the register, or an order moved to another person, changes a
// count or a time). Why: the address check reloads the offenders' facts only when it changes.
MATCH (o:Offender)
OPTIONAL MATCH (o)-[x:RESTRICTED_BY]->(d)
RETURN count(DISTINCT o) AS offenders, max(o.updated_at) AS offenders_at, count(x) AS orders,
  max(x.updated_at) AS links_at, max(d.updated_at) AS orders_at
