// Benchmark only: upserts minimal Person rows by person_id, the shape of the import's writes.
UNWIND $rows AS row
MERGE (p:Person {person_id: row.person_id})
SET p.given_name = row.given_name, p.family_name = row.family_name,
  p.date_of_birth = date(row.date_of_birth)
