// Schema for the embedded FalkorDB engine. Uniqueness constraints are written as in Neo4j and
// turned by the FalkorDB backend into an exact-match index plus GRAPH.CONSTRAINT; the rest are
// FalkorDB range indexes (a range index on a point property serves distance() filters).
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
CREATE INDEX FOR (n:Person) ON (n.pnc_id);
CREATE INDEX FOR (n:Person) ON (n.family_name_key);
CREATE INDEX FOR (n:Person) ON (n.date_of_birth);
CREATE INDEX FOR (n:Person) ON (n.identity_key);
CREATE INDEX FOR (n:Offender) ON (n.visor_ref);
CREATE INDEX FOR (n:Address) ON (n.uprn);
CREATE INDEX FOR (n:Address) ON (n.postcode);
CREATE INDEX FOR (n:Address) ON (n.address_type);
CREATE INDEX FOR (n:Address) ON (n.location);
CREATE INDEX FOR (n:Incident) ON (n.incident_type);
CREATE INDEX FOR (n:Incident) ON (n.occurred_at);
CREATE INDEX FOR (n:Flag) ON (n.status);
CREATE INDEX FOR (n:Flag) ON (n.rule_id);
CREATE INDEX FOR (n:JobRun) ON (n.rule_id);
