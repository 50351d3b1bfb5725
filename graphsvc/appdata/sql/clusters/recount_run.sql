-- Sets a clustering's counts of clusters and flags after clusters in it were replaced.
UPDATE cluster_runs SET clusters = :clusters,
    flags = (SELECT count(*) FROM cluster_members WHERE run_id = :run_id AND member LIKE 'flag:%')
WHERE run_id = :run_id;
