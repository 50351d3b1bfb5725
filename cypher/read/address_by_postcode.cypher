// Returns the addresses in one full postcode (`NR1 3AB`) whose text holds every word of $words
// (an empty list matches all), up to $limit, in street order. Why: the address check lists the
// addresses of a postcode to choose from, or narrows them with the other words typed.
MATCH (a:Address)
WHERE a.postcode = $postcode AND all(w IN $words WHERE a.text_key CONTAINS w)
RETURN a.address_id AS address_id, a.uprn AS uprn, a.line1 AS line1, a.line2 AS line2,
       a.town AS town, a.postcode AS postcode, a.address_type AS address_type,
       a.latitude AS latitude, a.longitude AS longitude
ORDER BY line1, line2, address_id
LIMIT $limit
