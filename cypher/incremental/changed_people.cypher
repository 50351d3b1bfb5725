// The person records whose own facts a change set can have changed: each changed person, each
// person in a changed incident, and every record linked to one of them (one person known under
// several records), each with its identity key (its own id when it has no linked record). One
// row per record.
// Why: a shared-link flag lists one entry per child, made from that child's records, links and
// concerns alone; an incremental run compares the entries of these records' children only
// (graphsvc/rules/hubs.py). The linked records come too because a link made or dropped moves
// records between people: the entry a flag holds under the old identity key (the smallest id
// of the old group, which is among these records) must be compared as well.
CALL () {
  MATCH (p:Person)
  WHERE p.person_id IN $person_ids
  RETURN p
  UNION
  MATCH (p:Person)-[:INVOLVED_IN]->(i:Incident)
  WHERE i.incident_id IN $incident_ids
  RETURN p
}
WITH DISTINCT p
OPTIONAL MATCH (linked:Person {identity_key: p.identity_key})
WITH p, collect(linked) AS linked
UNWIND [p] + linked AS r
WITH DISTINCT r
RETURN r.person_id AS person_id, coalesce(r.identity_key, r.person_id) AS key
