// Store contract: upserts a batch of rows by key.
UNWIND $rows AS row
MERGE (n:Person {person_id: row.k})
SET n.v = row.v, n.tag = $tag
