// PROTOTYPE, not a statement of the service (session 11, docs/scale.md): the incremental part of
// shared_exploitation_link evaluated from the anchored hubs' links instead of from each child's
// every link. Same 103 flags, same content, as rules/shared_exploitation_link on one county's
// incremental parameters; no full-run branch.
CALL () {
  UNWIND coalesce($anchor_person_ids, []) AS anchor
  MATCH (ad:Person {person_id: anchor})
  WITH ad
  MATCH (cr:Person)-[aa:ASSOCIATED_WITH]-(ad)
  WHERE NOT aa.relation IN $exclude_relations
    AND (aa.first_seen IS NULL OR aa.first_seen <= date($as_of))
    AND (ad.date_of_birth IS NULL OR ad.date_of_birth <= date($born_after))
  RETURN cr, 'person_id' AS label_key, coalesce(ad.identity_key, ad.person_id) AS key,
         'adult' AS hub_role, 'association:' + aa.relation AS via, ad AS adult, null AS fa
  UNION
  UNWIND coalesce($anchor_person_ids, []) AS anchor
  MATCH (ad:Person {person_id: anchor})
  WITH ad
  MATCH (cr:Person)-[ki:INVOLVED_IN]->(x:Incident)<-[xi:INVOLVED_IN]-(ad)
  WHERE x.incident_type IN $link_incident_types
    AND x.occurred_on <= date($as_of)
    AND ki.role <> 'reporting_person'
    AND xi.role IN $adult_roles
    AND (ad.date_of_birth IS NULL OR ad.date_of_birth <= date($born_after))
  RETURN cr, 'person_id' AS label_key, coalesce(ad.identity_key, ad.person_id) AS key,
         'adult' AS hub_role, xi.role + ':' + x.incident_id AS via, ad AS adult, null AS fa
  UNION
  UNWIND coalesce($anchor_vrms, []) AS anchor
  MATCH (v:Vehicle {vrm: anchor})
  WITH v
  MATCH (cr:Person)-[va:ASSOCIATED_WITH]->(v)
  WHERE va.first_seen IS NULL OR va.first_seen <= date($as_of)
  RETURN cr, 'vrm' AS label_key, v.vrm AS key, 'vehicle' AS hub_role,
         'association:' + va.relation AS via, null AS adult, null AS fa
  UNION
  UNWIND coalesce($anchor_numbers, []) AS anchor
  MATCH (ph:Phone {number: anchor})
  WITH ph
  MATCH (cr:Person)-[pa:ASSOCIATED_WITH]->(ph)
  WHERE pa.first_seen IS NULL OR pa.first_seen <= date($as_of)
  RETURN cr, 'number' AS label_key, ph.number AS key, 'phone' AS hub_role,
         'association:' + pa.relation AS via, null AS adult, null AS fa
  UNION
  UNWIND coalesce($anchor_address_ids, []) AS anchor
  MATCH (fa:Address {address_id: anchor})
  WITH fa
  MATCH (cr:Person)-[fi:INVOLVED_IN]->(fm:Incident)-[:FOUND_AT]->(fa)
  WHERE fm.incident_type = 'missing'
    AND fi.role IN ['missing_person', 'subject']
    AND fm.occurred_on <= date($as_of)
  RETURN cr, 'address_id' AS label_key, fa.address_id AS key, 'found_at_address' AS hub_role,
         'found_at:' + fm.incident_id AS via, null AS adult, fa
}
WITH cr, label_key, key, hub_role, via, adult, fa
WITH coalesce(cr.identity_key, cr.person_id) AS child_id, cr.identity_key AS linked,
     collect({cr: cr, label_key: label_key, key: key, hub_role: hub_role, via: via,
              adult: adult, fa: fa}) AS links
OPTIONAL MATCH (other:Person {identity_key: linked})
WITH child_id, links, collect(other) AS others
WITH child_id, links, CASE WHEN size(others) = 0 THEN [links[0].cr] ELSE others END AS records
// The child's concerns: of each record that is a child with a missing episode or CSE concern.
CALL (records) {
  UNWIND records AS c
  WITH c
  WHERE c.date_of_birth > date($born_after)
    AND c.date_of_birth <= date($as_of)
  MATCH (c)-[ci:INVOLVED_IN]->(i:Incident)
  WHERE i.incident_type IN ['missing', 'cse_concern']
    AND i.occurred_on >= date($window_days_since)
    AND i.occurred_on <= date($as_of)
    AND ci.role IN ['missing_person', 'subject', 'victim']
  RETURN collect(DISTINCT i.incident_id) AS concerns
}
WITH child_id, links, records, concerns
WHERE size(concerns) > 0
CALL (records) {
  UNWIND records AS cr
  OPTIONAL MATCH (cr)-[:RESIDES_AT]->(home:Address)
  RETURN collect(DISTINCT home) AS homes
}
CALL (records) {
  UNWIND records AS cr
  OPTIONAL MATCH (cr)-[:PLACED_IN]->(:Placement)-[:AT]->(placed:Address)
  RETURN collect(DISTINCT placed) AS placed
}
WITH child_id, links, records, concerns, homes + placed AS own_places
UNWIND [l IN links WHERE (l.adult IS NULL OR NOT l.adult IN records)
                         AND (l.fa IS NULL OR NOT l.fa IN own_places)] AS link
WITH link.label_key AS label_key, link.key AS key, link.hub_role AS hub_role, child_id,
     concerns, collect(DISTINCT link.via) AS via
WITH label_key, key, hub_role, collect(child_id) AS child_ids,
     collect({child_id: child_id, concern_count: size(concerns), via: via}) AS children,
     collect(concerns) AS concern_lists
WHERE size(child_ids) >= $min_children
CALL (concern_lists) {
  UNWIND concern_lists AS child_concerns
  UNWIND child_concerns AS concern
  RETURN collect(DISTINCT concern) AS concerns
}
WITH label_key, key, hub_role, child_ids, children, concerns
RETURN [label_key + '=' + key] AS identity,
       [{label_key: label_key, key: key, role: hub_role}]
       + [x IN children | {label_key: 'person_id', key: x.child_id, role: 'child'}]
         AS entities,
       CASE WHEN size(children) >= $critical_children THEN 'critical' ELSE 'high' END
         AS severity,
       toString(size(children)) + ' children who went missing or gave a CSE concern are linked '
       + 'to the same ' + replace(hub_role, '_', ' ') + ' ' + key + '.' AS summary,
       {hub: {label_key: label_key, key: key, role: hub_role}, children: children,
        child_count: size(children), window_days: $window_days, as_of: $as_of} AS evidence,
       [x IN children | 'person_id=' + x.child_id] + [x IN concerns | 'incident_id=' + x]
         AS material
