// Adds the Offender label and the register's properties to existing people. Returns nothing.
// Why: the offenders file of `graphsvc import`; its provenance is kept apart from the person's
// (offender_source, offender_source_ref) and its own fingerprint decides updated_at.
// neo4j replan: skip
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id})
WITH p, row, coalesce(p.offender_row_hash = row.row_hash, false) AS unchanged
SET p.updated_at = CASE WHEN unchanged THEN p.updated_at ELSE localdatetime($now) END
SET p:Offender,
  p.offender_row_hash = row.row_hash,
  p.visor_ref = row.visor_ref,
  p.registered_from = date(row.registered_from),
  p.registered_until = date(row.registered_until),
  p.mappa_category = row.mappa_category,
  p.mappa_level = row.mappa_level,
  p.rosh_level = row.rosh_level,
  p.offender_manager = row.offender_manager,
  p.risk_management_summary = row.risk_management_summary,
  p.offender_source = row.source,
  p.offender_source_ref = row.source_ref
