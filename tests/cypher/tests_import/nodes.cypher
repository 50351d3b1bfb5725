// Tests only: every node carrying label $label, as {n}.
MATCH (n)
WHERE $label IN labels(n)
RETURN n
