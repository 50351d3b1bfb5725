// Upserts placements by placement_id with the child (PLACED_IN) and the address (AT), moving
// either link when the row names another child or address. Returns nothing.
// Why: the placements file of `graphsvc import`; out_of_area is computed by the import.
// neo4j replan: skip
UNWIND $rows AS row
MATCH (child:Person {person_id: row.person_id})
MATCH (a:Address {address_id: row.address_id})
MERGE (pl:Placement {placement_id: row.placement_id})
WITH pl, child, a, row, coalesce(pl.row_hash = row.row_hash, false) AS unchanged
SET pl.updated_at = CASE WHEN unchanged THEN pl.updated_at ELSE localdatetime($now) END
SET pl.row_hash = row.row_hash,
  pl.placing_authority = row.placing_authority,
  pl.area_authority = row.area_authority,
  pl.out_of_area = row.out_of_area,
  pl.placement_type = row.placement_type,
  pl.legal_basis = row.legal_basis,
  pl.start_date = date(row.start_date),
  pl.end_date = date(row.end_date),
  pl.police_notified_date = date(row.police_notified_date),
  pl.source = row.source,
  pl.source_ref = row.source_ref
WITH pl, child, a, row
OPTIONAL MATCH (other:Person)-[stale:PLACED_IN]->(pl)
WHERE other.person_id <> row.person_id
DELETE stale
WITH DISTINCT pl, child, a, row
OPTIONAL MATCH (pl)-[moved:AT]->(elsewhere:Address)
WHERE elsewhere.address_id <> row.address_id
DELETE moved
WITH DISTINCT pl, child, a, row
MERGE (child)-[placed:PLACED_IN]->(pl)
MERGE (pl)-[at:AT]->(a)
WITH placed, at, row, coalesce(placed.row_hash = row.link_hash, false) AS same_placed,
  coalesce(at.row_hash = row.link_hash, false) AS same_at
SET placed.updated_at = CASE WHEN same_placed THEN placed.updated_at ELSE localdatetime($now) END,
  at.updated_at = CASE WHEN same_at THEN at.updated_at ELSE localdatetime($now) END
SET placed.row_hash = row.link_hash, placed.source = row.source,
  placed.source_ref = row.source_ref,
  at.row_hash = row.link_hash, at.source = row.source, at.source_ref = row.source_ref
