// family: entity
// Returns links of each __Label__ in $keys (by __key__): for each, at most $per_node links of a type
// in $types (all when empty), newest first, after skipping $skip; with the linked node and labels.
// Why: entity pages expand a neighbourhood hop by hop with a cap per node, so a hub stays fast.
// A rejected SAME_AS link (an officer decided the records are two people) is not a link.
UNWIND $keys AS key
MATCH (n:__Label__ {__key__: key})-[r]-(m)
WHERE (size($types) = 0 OR type(r) IN $types)
  AND NOT (type(r) = 'SAME_AS' AND r.status = 'rejected')
WITH key, n, r, m
ORDER BY coalesce(toString(m.occurred_at), toString(r.last_seen), toString(r.start_date),
                  toString(m.start_date), toString(m.last_seen), '') DESC,
         coalesce(m.person_id, m.address_id, m.incident_id, m.vrm, m.number, m.placement_id,
                  m.order_id, m.plan_id, m.flag_id, '')
WITH key, collect({r: r, m: m, outgoing: startNode(r) = n})[$skip..$skip + $per_node] AS links
UNWIND links AS link
RETURN key, type(link.r) AS type, link.outgoing AS outgoing, link.r AS rel,
       labels(link.m) AS labels, link.m AS node
