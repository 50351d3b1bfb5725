// Scope for rules whose flags are one incident each (long_running_child_abuse_investigation,
// overdue_return_interview): the `incident_id=` keys of the changed incidents and of the incidents
// of changed people (a victim's date of birth, a suspect), under any of their linked records. One
// row per key.
// Why: those rules look one step from the incident, no further, and of its address read only the
// key: an incident moved to another address is a changed incident, and a deleted address names
// its incidents, so a changed address alone (its coordinates, its type) changes no flag of theirs
// (each address names a few dozen incidents: taking them in made a day's scope ten times wider).
// A person's linked records count: a date of birth corrected on one record (children's
// services') makes a child of the victim recorded under another (the records system's).
MATCH (i:Incident)
WHERE i.incident_id IN $incident_ids
RETURN 'incident_id=' + i.incident_id AS key
UNION
MATCH (p:Person)-[:INVOLVED_IN]->(i:Incident)
WHERE p.person_id IN $person_ids
RETURN 'incident_id=' + i.incident_id AS key
UNION
MATCH (p:Person)
WHERE p.person_id IN $person_ids
WITH DISTINCT p WHERE p.identity_key IS NOT NULL  // else FalkorDB joins all
MATCH (:Person {identity_key: p.identity_key})-[:INVOLVED_IN]->(i:Incident)
RETURN 'incident_id=' + i.incident_id AS key
