// Store contract: a read's parameter returned as the engine received it.
RETURN $v AS v
