// Upserts addresses by address_id, with postcode and text keys and a WGS84 location when the
// row has coordinates (none otherwise). Returns nothing.
// Why: the addresses file of `graphsvc import`; updated_at moves only when the row changes.
// neo4j replan: skip
UNWIND $rows AS row
MERGE (a:Address {address_id: row.address_id})
WITH a, row, coalesce(a.row_hash = row.row_hash, false) AS unchanged
SET a.updated_at = CASE WHEN unchanged THEN a.updated_at ELSE localdatetime($now) END
SET a.row_hash = row.row_hash,
  a.uprn = row.uprn,
  a.line1 = row.line1,
  a.line2 = row.line2,
  a.town = row.town,
  a.postcode = row.postcode,
  a.postcode_key = row.postcode_key,
  a.text_key = row.text_key,
  a.latitude = row.latitude,
  a.longitude = row.longitude,
  a.location = CASE WHEN row.latitude IS NULL THEN null
    ELSE point({latitude: coalesce(row.latitude, 0.0), longitude: coalesce(row.longitude, 0.0)})
    END,
  a.address_type = row.address_type,
  a.warning_markers = row.warning_markers,
  a.source = row.source,
  a.source_ref = row.source_ref
