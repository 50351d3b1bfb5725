// Returns one row {same, changed}: the positions ($rows: {at, person_id, row_hash}) of offender
// rows whose Person the graph already holds with the same register fingerprint (same) or
// another, or none (changed).
// Why: as ingest/stored_{kind}, for the register's rows, whose fingerprint is kept apart from
// the person row's (`offender_row_hash`): a register extract sent again whole changes nothing,
// and an incremental rule run is not told of it.
// neo4j replan: skip
UNWIND $rows AS row
MATCH (n:Person {person_id: row.person_id})
WITH row.at AS at, coalesce(n.offender_row_hash = row.row_hash, false) AS same
RETURN collect(CASE WHEN same THEN at END) AS same,
  collect(CASE WHEN same THEN null ELSE at END) AS changed
