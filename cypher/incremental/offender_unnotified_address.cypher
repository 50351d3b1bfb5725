// Scope of offender_unnotified_address for an incremental run: `person_id=` keys of the
// register records (where the rule starts) and of the records and addresses whose flags the
// changed records can affect. One row per key.
// Why: the rule looks from a register record to the homes of its linked records, the register's
// own homes (and addresses of the same UPRN) and the children living or placed at each; so a
// changed person affects the register records linked to it, and to the people living where it
// lives or is placed; a changed address affects those of the people living there.
MATCH (p:Person)
WHERE p.person_id IN $person_ids
WITH DISTINCT p WHERE p.identity_key IS NOT NULL  // else FalkorDB joins all
MATCH (o:Person {identity_key: p.identity_key})  // by the Person index (Offender has none)
WHERE o:Offender
RETURN 'person_id=' + o.person_id AS key
UNION
MATCH (p:Person)-[:RESIDES_AT]->(:Address)<-[:RESIDES_AT]-(rec:Person)
WHERE p.person_id IN $person_ids
WITH DISTINCT rec WHERE rec.identity_key IS NOT NULL  // else FalkorDB joins all
MATCH (o:Person {identity_key: rec.identity_key})  // by the Person index (Offender has none)
WHERE o:Offender
RETURN 'person_id=' + o.person_id AS key
UNION
MATCH (p:Person)-[:PLACED_IN]->(:Placement)-[:AT]->(:Address)<-[:RESIDES_AT]-(rec:Person)
WHERE p.person_id IN $person_ids
WITH DISTINCT rec WHERE rec.identity_key IS NOT NULL  // else FalkorDB joins all
MATCH (o:Person {identity_key: rec.identity_key})  // by the Person index (Offender has none)
WHERE o:Offender
RETURN 'person_id=' + o.person_id AS key
UNION
MATCH (rec:Person)-[:RESIDES_AT]->(a:Address)
WHERE a.address_id IN $address_ids
WITH DISTINCT rec WHERE rec.identity_key IS NOT NULL  // else FalkorDB joins all
MATCH (o:Person {identity_key: rec.identity_key})  // by the Person index (Offender has none)
WHERE o:Offender
RETURN 'person_id=' + o.person_id AS key
