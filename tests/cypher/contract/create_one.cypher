// Store contract: creates one batch node.
CREATE (:Person {person_id: $k, v: $v})
