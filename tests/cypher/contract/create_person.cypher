// Store contract: creates a person without MERGE, to provoke the uniqueness constraint.
CREATE (:Person {person_id: $person_id})
