// Store contract: writes one node holding every value type and returns each value back.
CREATE (n:ContractValue {k: $k, s: $s, i: $i, f: $f, b: $b, l: $l,
  d: date($d), dt: localdatetime($dt), p: point({latitude: $lat, longitude: $lon})})
RETURN n.s AS s, n.i AS i, n.f AS f, n.b AS b, n.l AS l, n.d AS d, n.dt AS dt, n.p AS p,
  n.missing AS missing, {inner: n.i, list: [n.s]} AS m
