// Tests only: upserts people like ingest/people, then fails (division by zero) when a row's
// given_name is BOOM, so the import's row-by-row retry can be seen to work.
UNWIND $rows AS row
MERGE (p:Person {person_id: row.person_id})
SET p.given_name = row.given_name, p.updated_at = localdatetime($now)
WITH row
RETURN 1 / (CASE WHEN row.given_name = 'BOOM' THEN 0 ELSE 1 END) AS x
