// Tests only: every record node as {labels, props}, to compare whole graphs property by property
// (not the GraphState node, which counts the imports themselves).
MATCH (n)
WHERE NOT n:GraphState
RETURN labels(n) AS labels, properties(n) AS props
