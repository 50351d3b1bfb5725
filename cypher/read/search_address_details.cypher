// Returns what a search result shows of each address asked for (by address_id), in any order.
// Why: the in-memory index holds only keys; the address lines and type come from the graph.
UNWIND $address_ids AS wanted
MATCH (a:Address {address_id: wanted})
RETURN a.address_id AS address_id, a.uprn AS uprn, a.line1 AS line1, a.line2 AS line2,
       a.town AS town, a.postcode AS postcode, a.address_type AS address_type
