// Upserts child protection plans by plan_id and links the child (SUBJECT_OF), moving the link
// if the row names a different child. Returns nothing.
// Why: the protection_plans file of `graphsvc import`.
// neo4j replan: skip
UNWIND $rows AS row
MATCH (child:Person {person_id: row.person_id})
MERGE (plan:ProtectionPlan {plan_id: row.plan_id})
WITH plan, child, row, coalesce(plan.row_hash = row.row_hash, false) AS unchanged
SET plan.updated_at = CASE WHEN unchanged THEN plan.updated_at ELSE localdatetime($now) END
SET plan.row_hash = row.row_hash,
  plan.category = row.category,
  plan.start_date = date(row.start_date),
  plan.end_date = date(row.end_date),
  plan.local_authority = row.local_authority,
  plan.lead_professional = row.lead_professional,
  plan.lead_contact = row.lead_contact,
  plan.source = row.source,
  plan.source_ref = row.source_ref
WITH plan, child, row
OPTIONAL MATCH (other:Person)-[stale:SUBJECT_OF]->(plan)
WHERE other.person_id <> row.person_id
DELETE stale
WITH DISTINCT plan, child, row
MERGE (child)-[r:SUBJECT_OF]->(plan)
WITH r, row, coalesce(r.row_hash = row.link_hash, false) AS same
SET r.updated_at = CASE WHEN same THEN r.updated_at ELSE localdatetime($now) END
SET r.row_hash = row.link_hash, r.source = row.source, r.source_ref = row.source_ref
