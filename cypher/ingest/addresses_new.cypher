// Writes addresses the graph does not hold yet (the import checked just before), with postcode
// and text keys and a WGS84 location when the row has coordinates. Returns nothing.
// Why: the addresses file of `graphsvc import` on records new to the graph: what
// ingest/addresses would write, with every property given as the node is created so its index
// entries are written once (if another writer created one meanwhile, the key's uniqueness
// refuses the batch).
// neo4j replan: skip
UNWIND $rows AS row
CREATE (:Address {
  address_id: row.address_id,
  updated_at: localdatetime($now),
  row_hash: row.row_hash,
  uprn: row.uprn,
  line1: row.line1,
  line2: row.line2,
  town: row.town,
  postcode: row.postcode,
  postcode_key: row.postcode_key,
  text_key: row.text_key,
  latitude: row.latitude,
  longitude: row.longitude,
  location: CASE WHEN row.latitude IS NULL THEN null
    ELSE point({latitude: coalesce(row.latitude, 0.0), longitude: coalesce(row.longitude, 0.0)})
    END,
  address_type: row.address_type,
  warning_markers: row.warning_markers,
  source: row.source,
  source_ref: row.source_ref
})
