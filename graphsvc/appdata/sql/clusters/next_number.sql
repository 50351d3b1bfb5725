-- The number the next new cluster id takes (no row before the first clustering).
SELECT next_number FROM cluster_sequence WHERE name = 'cluster';
