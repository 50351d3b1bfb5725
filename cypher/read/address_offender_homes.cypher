// Returns every address with coordinates where a registered offender has, or had, a home or a
// notified stay, under the register record or a record linked to it (SAME_AS, one
// identity_key), once each, with those residences: the offender's register record
// (`person_id`, with its registration dates), the record that lives there (`resident_record`),
// the residence type and dates (either null when open). A resident who is on the register
// under its own record stands only for itself, as read/address_check finds it. Why: the address
// check finds the offenders living within the radius on its day in memory, from these few
// addresses (graphsvc/address_check/facts.py); the graph is read again when
// read/address_offender_homes_version changes.
MATCH (o:Offender)
WITH o, o.identity_key AS key
OPTIONAL MATCH (linked:Person {identity_key: key})
WITH o, coalesce(linked, o) AS p
MATCH (p)-[r:RESIDES_AT]->(h:Address)
WHERE h.latitude IS NOT NULL AND h.longitude IS NOT NULL AND h.location IS NOT NULL
  AND r.residence_type IN ['home', 'notified_stay']
  AND (p = o OR NOT p:Offender)
RETURN h.address_id AS address_id, h.latitude AS latitude, h.longitude AS longitude,
  collect({person_id: o.person_id, resident_record: p.person_id,
           residence_type: r.residence_type, start_date: r.start_date, end_date: r.end_date,
           registered_from: o.registered_from, registered_until: o.registered_until
  }) AS residences
