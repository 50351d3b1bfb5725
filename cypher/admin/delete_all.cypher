// Deletes every node and relationship: used by tests and by re-seeding the demo, never by users.
MATCH (n)
DETACH DELETE n
