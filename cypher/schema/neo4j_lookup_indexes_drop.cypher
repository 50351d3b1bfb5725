// Drops Neo4j's lookup indexes (every index of schema/neo4j that no key constraint owns) for a
// first import into an empty graph; schema/neo4j builds them again when the import ends.
// Why: an index written row by row as a county lands costs Neo4j about a third of each node
// write, and one built in bulk afterwards costs a fraction of that. The key constraints stay:
// the import's MERGE and MATCH find records through them. A unit test keeps this list equal to
// the lookup indexes of schema/neo4j.
DROP INDEX person_pnc IF EXISTS;
DROP INDEX person_family_name IF EXISTS;
DROP INDEX person_birth IF EXISTS;
DROP INDEX person_identity IF EXISTS;
DROP INDEX person_updated IF EXISTS;
DROP INDEX offender_visor IF EXISTS;
DROP INDEX address_uprn IF EXISTS;
DROP INDEX address_postcode IF EXISTS;
DROP INDEX address_type IF EXISTS;
DROP INDEX address_updated IF EXISTS;
DROP INDEX address_location IF EXISTS;
DROP INDEX incident_type IF EXISTS;
DROP INDEX incident_occurred IF EXISTS;
DROP INDEX flag_status IF EXISTS;
DROP INDEX flag_rule IF EXISTS;
DROP INDEX jobrun_rule IF EXISTS;
