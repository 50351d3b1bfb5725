// Tests only: every PlainRow node as {k, s, f, b, l, i, gone, tag}, in key order.
MATCH (n:PlainRow)
RETURN n.k AS k, n.s AS s, n.f AS f, n.b AS b, n.l AS l, n.i AS i, n.gone AS gone, n.tag AS tag
ORDER BY k
