// Schema for Neo4j 5: a uniqueness constraint (and so an index) on every business key,
// lookup indexes for the fields people search on, and a point index on address locations.
// Applied by `graphsvc init-db`; every statement is safe to run again.
CREATE CONSTRAINT person_key IF NOT EXISTS FOR (n:Person) REQUIRE n.person_id IS UNIQUE;
CREATE CONSTRAINT address_key IF NOT EXISTS FOR (n:Address) REQUIRE n.address_id IS UNIQUE;
CREATE CONSTRAINT placement_key IF NOT EXISTS FOR (n:Placement) REQUIRE n.placement_id IS UNIQUE;
CREATE CONSTRAINT plan_key IF NOT EXISTS FOR (n:ProtectionPlan) REQUIRE n.plan_id IS UNIQUE;
CREATE CONSTRAINT order_key IF NOT EXISTS FOR (n:Order) REQUIRE n.order_id IS UNIQUE;
CREATE CONSTRAINT incident_key IF NOT EXISTS FOR (n:Incident) REQUIRE n.incident_id IS UNIQUE;
CREATE CONSTRAINT vehicle_key IF NOT EXISTS FOR (n:Vehicle) REQUIRE n.vrm IS UNIQUE;
CREATE CONSTRAINT phone_key IF NOT EXISTS FOR (n:Phone) REQUIRE n.number IS UNIQUE;
CREATE CONSTRAINT flag_key IF NOT EXISTS FOR (n:Flag) REQUIRE n.flag_id IS UNIQUE;
CREATE CONSTRAINT flagkey_key IF NOT EXISTS FOR (n:FlagKey) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT jobrun_key IF NOT EXISTS FOR (n:JobRun) REQUIRE n.run_id IS UNIQUE;
CREATE INDEX person_pnc IF NOT EXISTS FOR (n:Person) ON (n.pnc_id);
CREATE INDEX person_family_name IF NOT EXISTS FOR (n:Person) ON (n.family_name_key);
CREATE INDEX person_birth IF NOT EXISTS FOR (n:Person) ON (n.date_of_birth);
CREATE INDEX person_identity IF NOT EXISTS FOR (n:Person) ON (n.identity_key);
CREATE INDEX person_updated IF NOT EXISTS FOR (n:Person) ON (n.updated_at);
CREATE INDEX offender_visor IF NOT EXISTS FOR (n:Offender) ON (n.visor_ref);
CREATE INDEX address_uprn IF NOT EXISTS FOR (n:Address) ON (n.uprn);
CREATE INDEX address_postcode IF NOT EXISTS FOR (n:Address) ON (n.postcode);
CREATE INDEX address_type IF NOT EXISTS FOR (n:Address) ON (n.address_type);
CREATE INDEX address_updated IF NOT EXISTS FOR (n:Address) ON (n.updated_at);
CREATE POINT INDEX address_location IF NOT EXISTS FOR (n:Address) ON (n.location);
CREATE INDEX incident_type IF NOT EXISTS FOR (n:Incident) ON (n.incident_type);
CREATE INDEX incident_occurred IF NOT EXISTS FOR (n:Incident) ON (n.occurred_at);
CREATE INDEX flag_status IF NOT EXISTS FOR (n:Flag) ON (n.status);
CREATE INDEX flag_rule IF NOT EXISTS FOR (n:Flag) ON (n.rule_id);
CREATE INDEX jobrun_rule IF NOT EXISTS FOR (n:JobRun) ON (n.rule_id);
