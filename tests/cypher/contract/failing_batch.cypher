// Store contract: creates rows, then fails on the row whose key is $bad (division by zero).
UNWIND $rows AS row
CREATE (n:Person {person_id: row.k, v: row.v})
WITH row
RETURN 1 / (row.k - $bad) AS x
