// Record which synthetic county a benchmark has just built in this graph.
MERGE (m:BenchCounty {marker: 1})
SET m.scale = $scale, m.seed = $seed, m.as_of = $as_of
