// Tests only: deletes the node named by a business key with its relationships (the import has
// no deletions; an incremental run must still follow them). Returns nothing.
MATCH (n)
WHERE coalesce(n.person_id, n.address_id, n.order_id, n.placement_id, n.plan_id,
               n.incident_id) = $key
DETACH DELETE n
