// Tests only: every node as {labels, props}, to compare whole graphs property by property.
MATCH (n)
RETURN labels(n) AS labels, properties(n) AS props
