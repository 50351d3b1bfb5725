// Writes what linkage found for a batch of pairs (a before b): probability, evidence and the
// status the model gives. An officer's decision (confirmed, rejected) is kept: only the model's
// fields move under it. Returns nothing.
// Why: `identities resolve` writes its pairs in UNWIND batches.
UNWIND $rows AS row
MATCH (a:Person {person_id: row.a})
MATCH (b:Person {person_id: row.b})
MERGE (a)-[l:SAME_AS]->(b)
SET l.probability = row.probability,
    l.model_status = row.status,
    l.evidence_json = row.evidence_json,
    l.linked_at = localdatetime($now),
    l.status = CASE WHEN l.status IN ['confirmed', 'rejected'] THEN l.status ELSE row.status END
