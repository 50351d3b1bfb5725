// Returns the people whose record id, PNC id or ViSOR reference is one of $refs exactly (the text
// as typed and in upper case), with which of the three matched.
// Why: officers often hold a reference rather than a name: a PNC id from a check, a ViSOR
// reference from the register, or a record id from another system's extract.
// Each branch is an index seek (person_id, pnc_id, and Offender visor_ref: without that index
// Neo4j scanned every offender for each search that holds a digit, 6,000 db hits at county
// scale).
UNWIND $refs AS ref
MATCH (p:Person {person_id: ref})
RETURN p.person_id AS person_id, 'record id' AS field, ref AS value
UNION
UNWIND $refs AS ref
MATCH (p:Person {pnc_id: ref})
RETURN p.person_id AS person_id, 'PNC id' AS field, ref AS value
UNION
UNWIND $refs AS ref
MATCH (p:Offender {visor_ref: ref})
RETURN p.person_id AS person_id, 'ViSOR reference' AS field, ref AS value
