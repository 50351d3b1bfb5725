// Returns every address's search keys (postcode key, UPRN, text key), one row per address.
// Why: the address search builds its in-memory index from this one read (graphsvc.search).
MATCH (a:Address)
RETURN a.address_id AS address_id, a.postcode_key AS postcode_key, a.uprn AS uprn,
       a.text_key AS text_key
