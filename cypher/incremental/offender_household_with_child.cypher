// Scope of offender_household_with_child for an incremental run: `person_id=` keys of the
// records whose household flags the changed records can affect, among them every record living
// where an affected child lives or is placed (the rule's entry finds the register record linked
// to each). One row per key.
// Why: the rule looks from a register record (and its linked records) to their homes, the
// addresses with the same UPRN, and the children (and their linked records) living or placed
// there, with their plans and placements; so a changed child affects whoever lives where any of
// its records lives or is placed, and a changed address (its UPRN) whoever lives at it or at an
// address with the same UPRN.
// Whoever lives where a changed person lives or is placed: only for a person whose own row
// changed (`$written_person_ids`: a date of birth, a link to another record). A row that links
// a person to a home or a placement names that address as well (the last branch follows it),
// a plan row is followed from its child (the runner applies this statement again to the keys
// it returns), and the rule reads no incident or association. (A day's incident rows name
// about 900 people, whose households were most of this scope.)
// named: person_id
// named_by: placement_id
// (An address matters to the rule as a home or a placement's address, and by its UPRN. Its own
// row (a UPRN) is written, and a placement row that moves names the address it goes to and the
// one it leaves: both are kept. An address a residence row only names is reached through that
// row's person, whose homes the runner walks when it applies this statement to the keys it
// returns; an incident's address does not matter at all. So addresses changed rows of other
// kinds only name are left out: graphsvc/rules/incremental.py, ChangeSet.narrowed.)
MATCH (p:Person)
WHERE p.person_id IN $person_ids
RETURN 'person_id=' + p.person_id AS key
UNION
MATCH (c:Person)-[:SUBJECT_OF]->(plan:ProtectionPlan)
WHERE plan.plan_id IN $plan_ids
RETURN 'person_id=' + c.person_id AS key
UNION
MATCH (p:Person)
WHERE p.person_id IN $written_person_ids
OPTIONAL MATCH (linked:Person {identity_key: p.identity_key})
WITH p, collect(linked) AS linked
UNWIND [p] + linked AS c
MATCH (c)-[:RESIDES_AT]->(ca:Address)
WITH DISTINCT ca
OPTIONAL MATCH (same:Address)
WHERE ca.uprn IS NOT NULL AND same.uprn = ca.uprn
WITH ca, collect(same) AS same
UNWIND [ca] + same AS oa
MATCH (rec:Person)-[:RESIDES_AT]->(oa)
RETURN DISTINCT 'person_id=' + rec.person_id AS key
UNION
MATCH (p:Person)
WHERE p.person_id IN $written_person_ids
OPTIONAL MATCH (linked:Person {identity_key: p.identity_key})
WITH p, collect(linked) AS linked
UNWIND [p] + linked AS c
MATCH (c)-[:PLACED_IN]->(:Placement)-[:AT]->(ca:Address)
WITH DISTINCT ca
OPTIONAL MATCH (same:Address)
WHERE ca.uprn IS NOT NULL AND same.uprn = ca.uprn
WITH ca, collect(same) AS same
UNWIND [ca] + same AS oa
MATCH (rec:Person)-[:RESIDES_AT]->(oa)
RETURN DISTINCT 'person_id=' + rec.person_id AS key
UNION
MATCH (a:Address)
WHERE a.address_id IN $address_ids
OPTIONAL MATCH (same:Address)
WHERE a.uprn IS NOT NULL AND same.uprn = a.uprn
WITH a, collect(same) AS same
UNWIND [a] + same AS oa
MATCH (rec:Person)-[:RESIDES_AT]->(oa)
RETURN DISTINCT 'person_id=' + rec.person_id AS key
