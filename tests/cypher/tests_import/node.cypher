// Tests only: the node that has label $label and property $key equal to $value, as {n}.
MATCH (n)
WHERE $label IN labels(n) AND n[$key] = $value
RETURN n
