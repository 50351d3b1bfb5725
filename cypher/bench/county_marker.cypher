// Which synthetic county the graph holds (written by the benchmarks when they build one), so a
// benchmark never measures a county built for another scale, seed or date.
MATCH (m:BenchCounty)
RETURN m.scale AS scale, m.seed AS seed, m.as_of AS as_of
