"""Clusters: connected groups of open flags and the people, places, vehicles, phones they share.

A tasking meeting reviews situations, not single flags. The pure functions here take a networkx
graph first and return plain dicts; `recompute` reads the open flags from the graph store,
clusters them, keeps each cluster's id across recomputations and stores the result in the
application database.

Which flags are open (on the board): `new`, `under_review`, and `actioned` while the action agreed
is outstanding, i.e. the latest decision on the flag recorded an action. A meeting closes an
actioned flag by recording `no_further_action`; `resolved` flags (the rule no longer fires) leave.

`graph` and `scoring` and `ids` are pure (networkx graphs in, plain dicts out); `store` keeps
the result in the application database.
"""

from graphsvc.clusters.graph import (
    BETWEENNESS_SAMPLES,
    EXACT_BETWEENNESS_LIMIT,
    HUB_PEEL_FRACTION,
    KEY_PEOPLE,
    MAX_CLUSTER_FLAGS,
    RECENCY_FLOOR,
    RECENCY_HALF_LIFE_DAYS,
    SEVERITY_WEIGHTS,
    build_flag_graph,
    find_clusters,
    flag_node,
    is_open,
    linked_through,
)
from graphsvc.clusters.ids import (
    cluster_flags,
    cluster_number,
    describe_change,
    match_ids,
)
from graphsvc.clusters.scoring import (
    as_date,
    describe_clusters,
    key_people,
    rank_key,
    recency,
    score_cluster,
)
from graphsvc.clusters.store import (
    CLUSTERS_LOCK,
    KEEP_RUNS,
    Recomputed,
    cluster_history,
    elapsed_s,
    get_cluster,
    latest_run,
    latest_run_id,
    list_clusters,
    next_number,
    read_open_flags,
    recompute,
    run_members,
    snapshot_data,
    store_clusters,
    to_json,
)

__all__ = [
    "BETWEENNESS_SAMPLES",
    "EXACT_BETWEENNESS_LIMIT",
    "HUB_PEEL_FRACTION",
    "CLUSTERS_LOCK",
    "KEEP_RUNS",
    "KEY_PEOPLE",
    "MAX_CLUSTER_FLAGS",
    "RECENCY_FLOOR",
    "RECENCY_HALF_LIFE_DAYS",
    "SEVERITY_WEIGHTS",
    "as_date",
    "build_flag_graph",
    "cluster_flags",
    "cluster_history",
    "cluster_number",
    "describe_change",
    "describe_clusters",
    "elapsed_s",
    "find_clusters",
    "flag_node",
    "get_cluster",
    "is_open",
    "key_people",
    "latest_run",
    "latest_run_id",
    "linked_through",
    "list_clusters",
    "match_ids",
    "next_number",
    "rank_key",
    "read_open_flags",
    "recency",
    "Recomputed",
    "recompute",
    "run_members",
    "score_cluster",
    "snapshot_data",
    "store_clusters",
    "to_json",
]
