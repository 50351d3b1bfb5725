// id: order_breach
// title: Order breach: contact with a child
// short_title: Order breach
// phrase: possible breach of an order protecting children
// description: The subject of an order that prohibits child contact, or of a CAWN, in the same incident or association as a child (for a CAWN, the child it names) after the order started and before it ended.
// severity: critical
// finding: CSE work protected the child but did too little to identify and disrupt the adults involved.
// returns: one row per order subject and child: identity, entities with roles, severity, summary, evidence (the orders and each contact: incident or association, with its date) and the material items.
// An association counts when its dated period (first_seen to last_seen, either alone when the
// other is missing) overlaps the order's period and began on or before as_of; undated ones
// cannot show contact after the order started and do not count.
// A subject or child known under several linked records (SAME_AS, grouped by identity_key) is
// one person: contact under any of the subject's records counts, and a CAWN protects every
// record of the child it names.
// Entry: in an incremental run (graphsvc/rules/incremental.py) the anchored subjects, by
// index; in a full run ($anchors null opens the gate) every order.
CALL () {
  UNWIND coalesce($anchor_person_ids, []) AS anchor
  MATCH (s:Person {person_id: anchor})-[:RESTRICTED_BY]->(ord:Order)
  RETURN s, ord
  UNION
  UNWIND CASE WHEN $anchors IS NULL THEN [1] ELSE [] END AS full_run
  MATCH (s:Person)-[:RESTRICTED_BY]->(ord:Order)
  RETURN s, ord
}
WITH s, ord
WHERE (ord.prohibits_child_contact = true OR ord.order_type = 'cawn')
  AND ord.start_date <= date($as_of)
OPTIONAL MATCH (sl:Person {identity_key: s.identity_key})
WITH s, ord, [s] + [x IN collect(DISTINCT sl) WHERE x <> s] AS records,
     [(ord)-[:PROTECTS]->(pp:Person) | coalesce(pp.identity_key, pp.person_id)] AS protected
UNWIND records AS sr
OPTIONAL MATCH (sr)-[:INVOLVED_IN]->(i:Incident)<-[:INVOLVED_IN]-(c1:Person)
WHERE NOT c1 IN records
  AND i.occurred_on >= ord.start_date
  AND (ord.end_date IS NULL OR i.occurred_on <= ord.end_date)
  AND i.occurred_on <= date($as_of)
  AND (ord.prohibits_child_contact = true
       OR coalesce(c1.identity_key, c1.person_id) IN protected)
// A contact is a child when any of its linked records says so (the date of birth may be known
// only to children's services).
WITH s, ord, records, protected, i, c1
OPTIONAL MATCH (c1l:Person {identity_key: c1.identity_key})
WITH s, ord, records, protected, i, c1, [c1] + collect(DISTINCT c1l) AS c1_records
WITH s, ord, records, protected,
     collect(DISTINCT CASE WHEN any(x IN c1_records WHERE x.date_of_birth > date($born_after)
                                                    AND x.date_of_birth <= date($as_of))
                      THEN {child_id: coalesce(c1.identity_key, c1.person_id), via: 'incident',
                            ref: i.incident_id, on: i.occurred_on} END) AS by_incident
UNWIND records AS sr
OPTIONAL MATCH (sr)-[a:ASSOCIATED_WITH]-(c2:Person)
WHERE NOT c2 IN records
  AND coalesce(a.first_seen, a.last_seen) <= date($as_of)
  AND coalesce(a.last_seen, a.first_seen) >= ord.start_date
  AND (ord.end_date IS NULL OR coalesce(a.first_seen, a.last_seen) <= ord.end_date)
  AND (ord.prohibits_child_contact = true
       OR coalesce(c2.identity_key, c2.person_id) IN protected)
WITH s, ord, by_incident, a, c2
OPTIONAL MATCH (c2l:Person {identity_key: c2.identity_key})
WITH s, ord, by_incident, a, c2, [c2] + collect(DISTINCT c2l) AS c2_records
WITH s, ord, by_incident,
     collect(DISTINCT CASE WHEN any(x IN c2_records WHERE x.date_of_birth > date($born_after)
                                                    AND x.date_of_birth <= date($as_of))
                      THEN {child_id: coalesce(c2.identity_key, c2.person_id),
                            via: 'association', ref: a.relation,
                            on: coalesce(a.last_seen, a.first_seen)} END) AS by_association
UNWIND [x IN by_incident + by_association WHERE x.child_id IS NOT NULL] AS contact
WITH coalesce(s.identity_key, s.person_id) AS subject_id, contact.child_id AS child_id,
     collect(DISTINCT {order_id: ord.order_id, order_type: ord.order_type,
                       start_date: ord.start_date, end_date: ord.end_date}) AS orders,
     collect(DISTINCT {via: contact.via, ref: contact.ref, on: contact.on,
                       order_id: ord.order_id}) AS contacts
RETURN ['person_id=' + subject_id, 'person_id=' + child_id] AS identity,
       [{label_key: 'person_id', key: subject_id, role: 'order_subject'},
        {label_key: 'person_id', key: child_id, role: 'child'}]
       + [x IN orders | {label_key: 'order_id', key: x.order_id, role: 'order'}]
       + [x IN contacts WHERE x.via = 'incident' |
          {label_key: 'incident_id', key: x.ref, role: 'incident'}] AS entities,
       'critical' AS severity,
       'Order subject ' + subject_id + ' was in contact with child ' + child_id + ' ('
       + toString(size(contacts)) + CASE WHEN size(contacts) = 1 THEN ' contact' ELSE ' contacts'
         END + ') while a ' + orders[0].order_type + ' forbade it.' AS summary,
       {orders: orders, contacts: contacts, as_of: $as_of} AS evidence,
       [x IN contacts | x.via + ':' + x.ref + ':' + toString(x.on)] AS material
