// Upserts orders by order_id, links the restricted person (RESTRICTED_BY) and each protected
// person (PROTECTS), and removes links the row no longer names. Returns nothing.
// Why: the orders file of `graphsvc import`; the row is the whole truth about its order.
// neo4j replan: skip
UNWIND $rows AS row
MATCH (subject:Person {person_id: row.person_id})
MERGE (o:Order {order_id: row.order_id})
WITH o, subject, row, coalesce(o.row_hash = row.row_hash, false) AS unchanged
SET o.updated_at = CASE WHEN unchanged THEN o.updated_at ELSE localdatetime($now) END
SET o.row_hash = row.row_hash,
  o.order_type = row.order_type,
  o.start_date = date(row.start_date),
  o.end_date = date(row.end_date),
  o.prohibits_child_contact = row.prohibits_child_contact,
  o.conditions = row.conditions,
  o.source = row.source,
  o.source_ref = row.source_ref
WITH o, subject, row
OPTIONAL MATCH (other:Person)-[stale:RESTRICTED_BY]->(o)
WHERE other.person_id <> row.person_id
DELETE stale
WITH DISTINCT o, subject, row
OPTIONAL MATCH (o)-[gone:PROTECTS]->(former:Person)
WHERE NOT former.person_id IN coalesce(row.protected_person_ids, [])
DELETE gone
WITH DISTINCT o, subject, row
MERGE (subject)-[r:RESTRICTED_BY]->(o)
WITH o, row, r, coalesce(r.row_hash = row.link_hash, false) AS same
SET r.updated_at = CASE WHEN same THEN r.updated_at ELSE localdatetime($now) END
SET r.row_hash = row.link_hash, r.source = row.source, r.source_ref = row.source_ref
WITH o, row
UNWIND coalesce(row.protected_person_ids, []) AS protected_id
MATCH (protected:Person {person_id: protected_id})
MERGE (o)-[pr:PROTECTS]->(protected)
WITH pr, row, coalesce(pr.row_hash = row.link_hash, false) AS same
SET pr.updated_at = CASE WHEN same THEN pr.updated_at ELSE localdatetime($now) END
SET pr.row_hash = row.link_hash, pr.source = row.source, pr.source_ref = row.source_ref
