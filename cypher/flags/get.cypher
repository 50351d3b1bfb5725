// One flag with all its properties, for the flag page and for decisions.
MATCH (f:Flag {flag_id: $flag_id})
RETURN f AS flag
