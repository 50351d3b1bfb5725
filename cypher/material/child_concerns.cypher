// The material items of the children a shared-link flag names (shared_exploitation_link): for
// each `person_id=` key in $keys, the missing episodes and CSE concerns in the last window_days
// days of that child, under any of its linked records (the key is the identity key of a linked
// person, else the record's own id, as the rule names its children). One row per key with one.
// Why a statement of its own: a child linked to several hubs would otherwise send its concerns
// once per hub (about 130,000 incident ids for a day's 100 hub flags on the county, where the
// children have 6,500); graphsvc/rules/material.py reads this once per run and adds each
// child's items to the material of every flag naming it.
// The conditions are the rule's own for a child's concerns (cypher/rules/
// shared_exploitation_link.cypher, "The child's concerns"); tests/integration/
// test_rule_children.py holds the two to the same items.
UNWIND $keys AS key
WITH key
WHERE key STARTS WITH 'person_id='
WITH key, substring(key, size('person_id=')) AS child_id
OPTIONAL MATCH (linked:Person {identity_key: child_id})
WITH key, child_id, collect(linked) AS linked
OPTIONAL MATCH (own:Person {person_id: child_id})
WITH key, CASE WHEN size(linked) = 0 THEN [own] ELSE linked END AS records
WHERE any(x IN records WHERE x.date_of_birth > date($born_after)
                         AND x.date_of_birth <= date($as_of))
UNWIND records AS c
WITH key, c
MATCH (c)-[ci:INVOLVED_IN]->(i:Incident)
WHERE i.incident_type IN ['missing', 'cse_concern']
  AND i.occurred_on >= date($window_days_since)
  AND i.occurred_on <= date($as_of)
  AND ci.role IN ['missing_person', 'subject', 'victim']
RETURN key, collect(DISTINCT 'incident_id=' + i.incident_id) AS material
