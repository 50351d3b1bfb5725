// Creates or refreshes the flags one rule run found (one row per flag), and records a FlagEvent
// for each row that carries an event (raised, reopened, evidence_changed), in the same statement
// so a flag and its history land together. Returns how many rows were written.
// neo4j replan: skip
UNWIND $rows AS row
MERGE (f:Flag {flag_id: row.flag_id})
ON CREATE SET f.first_seen = localdatetime($at), f.rule_id = row.rule_id
SET f.severity = row.severity,
    f.summary = row.summary,
    f.evidence_json = row.evidence_json,
    f.entity_keys = row.entity_keys,
    f.concerned_keys = row.concerned_keys,
    f.material_keys = row.material_keys,
    f.concerns_hash = row.concerns_hash,
    f.content_hash = row.content_hash,
    f.last_seen = localdatetime($at),
    f.as_of = date($as_of),
    f.last_run_id = $run_id,
    f.status = row.status,
    f.status_changed_at = CASE WHEN row.status_changed THEN localdatetime($at)
                               ELSE f.status_changed_at END,
    f.reopened_at = CASE WHEN row.event_kind = 'reopened' THEN localdatetime($at)
                         ELSE f.reopened_at END
WITH f, row
FOREACH (kind IN CASE WHEN row.event_kind IS NULL THEN [] ELSE [row.event_kind] END |
  CREATE (:FlagEvent {event_id: row.event_id, seq: row.seq, at: localdatetime($at), by: $by,
                      kind: kind, from_status: row.from_status, to_status: row.status,
                      reason: row.reason})-[:ON]->(f))
RETURN count(f) AS written
