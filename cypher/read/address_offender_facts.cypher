// Returns every registered offender's register entry (names, date of birth, RoSH, MAPPA, ViSOR
// reference) with every order restricting them, each with its dates, in the order the graph
// walks them. Why: the address check describes offenders nearby (often a hundred within the
// radius) from these facts held in memory, so that read/address_check only finds who lives
// where; the check keeps the orders active on its day (read/address_offender_facts_version).
MATCH (o:Offender)
RETURN o.person_id AS person_id, o.given_name AS given_name, o.family_name AS family_name,
  o.date_of_birth AS date_of_birth, o.rosh_level AS rosh_level,
  o.mappa_category AS mappa_category, o.mappa_level AS mappa_level, o.visor_ref AS visor_ref,
  [(o)-[:RESTRICTED_BY]->(x:Order)
   | {order_id: x.order_id, order_type: x.order_type, start_date: x.start_date,
      end_date: x.end_date, prohibits_child_contact: x.prohibits_child_contact}] AS orders
