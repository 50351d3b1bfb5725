// Tests only: deletes every RESIDES_AT link between a person and an address. Returns nothing.
MATCH (:Person {person_id: $person_id})-[r:RESIDES_AT]->(:Address {address_id: $address_id})
DELETE r
