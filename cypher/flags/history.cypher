// The full history of one flag (raised, decisions, resolutions, reopenings), oldest first.
MATCH (e:FlagEvent)-[:ON]->(f:Flag {flag_id: $flag_id})
RETURN e AS event
ORDER BY e.seq
