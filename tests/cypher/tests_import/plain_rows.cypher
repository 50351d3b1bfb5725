// Tests only: stores each row's values on a PlainRow node keyed by k, tagged with $tag.
UNWIND $rows AS row
MERGE (n:PlainRow {k: row.k})
SET n.s = row.s, n.f = row.f, n.b = row.b, n.l = row.l, n.i = row.i, n.gone = row.gone,
  n.tag = $tag
