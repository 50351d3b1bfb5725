// Scope for rules whose flags are one incident each (long_running_child_abuse_investigation,
// overdue_return_interview): the `incident_id=` keys of the changed incidents, of the incidents
// of changed people (a victim's date of birth, a suspect) and of incidents at changed addresses.
// One row per key. Why: those rules look one step from the incident, no further.
MATCH (i:Incident)
WHERE i.incident_id IN $incident_ids
RETURN 'incident_id=' + i.incident_id AS key
UNION
MATCH (p:Person)-[:INVOLVED_IN]->(i:Incident)
WHERE p.person_id IN $person_ids
RETURN 'incident_id=' + i.incident_id AS key
UNION
MATCH (i:Incident)-[:AT]->(a:Address)
WHERE a.address_id IN $address_ids
RETURN 'incident_id=' + i.incident_id AS key
