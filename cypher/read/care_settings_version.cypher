// Returns one row that changes whenever the care settings can have changed: how many addresses
// have one of the care types $types and the newest updated_at among them (an address whose
// type changes away from care lowers the count).
// Why: the address check keeps care settings in memory and reloads them when this row changes.
MATCH (a:Address)
WHERE a.address_type IN $types
RETURN count(a) AS settings, max(a.updated_at) AS changed_at
