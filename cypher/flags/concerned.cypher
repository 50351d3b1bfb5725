// The entities one flag concerns, each with its role and labels, for the flag page.
MATCH (f:Flag {flag_id: $flag_id})-[c:CONCERNS]->(e)
RETURN c.role AS role, c.entity_key AS entity_key, labels(e) AS labels, e AS entity
ORDER BY entity_key, role
