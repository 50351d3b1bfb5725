"""Clustering on tiny sets of flags whose answer is known by hand."""

from __future__ import annotations

import doctest
from datetime import date

import graphsvc.clusters
from graphsvc.clusters import cluster_flags, match_ids

AS_OF = date(2025, 3, 31)


def flag(flag_id: str, *keys: str, severity: str = "high", status: str = "new",
         last_seen: str = "2025-03-31", action: str | None = None) -> dict:
    return {"flag_id": flag_id, "rule_id": flag_id.split(":")[0], "severity": severity,
            "status": status, "last_seen": last_seen, "action": action,
            "entities": [{"key": k, "role": "x", "name": k.split("=")[1]} for k in keys]}


def by_flags(result: dict) -> dict[tuple[str, ...], dict]:
    return {tuple(c["flags"]): c for c in result["clusters"]}


def test_the_module_examples_hold():
    results = [doctest.testmod(module) for module in (graphsvc.clusters.graph,
                                                      graphsvc.clusters.scoring,
                                                      graphsvc.clusters.ids)]
    assert sum(r.attempted for r in results) > 10 and sum(r.failed for r in results) == 0


def test_flags_sharing_a_person_address_vehicle_or_phone_form_one_cluster():
    flags = [
        flag("a:1", "person_id=P1", "address_id=A1"),
        flag("b:1", "address_id=A1", "person_id=P2"),
        flag("c:1", "person_id=P2", "vrm=AB12CDE"),
        flag("d:1", "vrm=AB12CDE", "number=07700900001"),
        flag("e:1", "number=07700900001"),
        flag("f:1", "person_id=P9"),
    ]
    clusters = by_flags(cluster_flags(flags, AS_OF))
    assert set(clusters) == {("a:1", "b:1", "c:1", "d:1", "e:1"), ("f:1",)}
    big = clusters[("a:1", "b:1", "c:1", "d:1", "e:1")]
    assert {e["key"] for e in big["entities"]} == {
        "person_id=P1", "address_id=A1", "person_id=P2", "vrm=AB12CDE", "number=07700900001"}


def test_a_shared_order_or_incident_does_not_join_flags():
    flags = [flag("a:1", "person_id=P1", "order_id=O1", "incident_id=I1"),
             flag("b:1", "person_id=P2", "order_id=O1", "incident_id=I1")]
    assert set(by_flags(cluster_flags(flags, AS_OF))) == {("a:1",), ("b:1",)}


def test_only_open_flags_are_clustered():
    flags = [
        flag("a:1", "person_id=P1", status="new"),
        flag("b:1", "person_id=P1", status="under_review"),
        flag("c:1", "person_id=P1", status="actioned", action="Joint visit with social care"),
        flag("d:1", "person_id=P1", status="actioned", action=None),
        flag("e:1", "person_id=P1", status="no_further_action"),
        flag("f:1", "person_id=P1", status="resolved"),
    ]
    assert set(by_flags(cluster_flags(flags, AS_OF))) == {("a:1", "b:1", "c:1")}


def test_clusters_rank_by_severity_then_recency():
    flags = [
        flag("crit:1", "person_id=P1", severity="critical"),  # 9
        flag("high:1", "person_id=P2"), flag("high:2", "person_id=P2"),  # 3 + 3
        flag("old:1", "person_id=P3", severity="critical", last_seen="2025-01-30"),  # 9 / 4
        flag("med:1", "person_id=P4", severity="medium"),  # 1
    ]
    result = cluster_flags(flags, AS_OF)
    order = [(c["flags"], c["score"]) for c in result["clusters"]]
    assert order == [(["crit:1"], 9.0), (["high:1", "high:2"], 6.0), (["old:1"], 2.25),
                     (["med:1"], 1.0)]
    assert [c["rank"] for c in result["clusters"]] == [1, 2, 3, 4]
    old = result["clusters"][2]
    assert old["score_lines"] == [{"flag_id": "old:1", "rule_id": "old", "severity": "critical",
                                   "weight": 9.0, "age_days": 60, "recency": 0.25,
                                   "points": 2.25}]
    assert "halving every 30 days" in old["score_method"]


def test_the_key_person_is_the_one_who_links_the_others():
    # P2 sits between every pair of flags; P1, P3 and P4 each touch one flag only.
    flags = [flag("a:1", "person_id=P1", "person_id=P2"),
             flag("b:1", "person_id=P2", "person_id=P3"),
             flag("c:1", "person_id=P2", "person_id=P4")]
    [cluster] = cluster_flags(flags, AS_OF)["clusters"]
    [key] = cluster["key_people"]  # the others touch one flag each and link nothing
    assert key["key"] == "person_id=P2" and key["name"] == "P2"
    assert key["flags"] == 3
    assert key["betweenness"] > 0.5


def test_key_people_rank_by_how_much_they_link():
    # Chain a - P1 - b - P2 - c - P3 - d: P2 is in the middle, P1 and P3 each bridge one end.
    flags = [flag("a:1", "person_id=P1"), flag("b:1", "person_id=P1", "person_id=P2"),
             flag("c:1", "person_id=P2", "person_id=P3"), flag("d:1", "person_id=P3")]
    [cluster] = cluster_flags(flags, AS_OF)["clusters"]
    keys = [p["key"] for p in cluster["key_people"]]
    assert keys == ["person_id=P2", "person_id=P1", "person_id=P3"]


def test_a_cluster_keeps_its_id_when_recomputed_and_when_it_grows():
    flags = [flag("a:1", "person_id=P1"), flag("b:1", "person_id=P1"),
             flag("c:1", "person_id=P7")]
    first = cluster_flags(flags, AS_OF)
    ids = {tuple(c["flags"]): c["cluster_id"] for c in first["clusters"]}
    assert sorted(ids.values()) == ["C-1", "C-2"]
    assert [h["kind"] for h in first["history"]] == ["new", "new"]

    previous = {c["cluster_id"]: c["members"] for c in first["clusters"]}
    again = cluster_flags(flags, AS_OF, previous, first["next_number"])
    assert {tuple(c["flags"]): c["cluster_id"] for c in again["clusters"]} == ids
    assert {h["kind"] for h in again["history"]} == {"unchanged"}

    grown = cluster_flags([*flags, flag("d:1", "person_id=P1", "address_id=A5")], AS_OF,
                          previous, first["next_number"])
    grown_ids = {tuple(c["flags"]): c["cluster_id"] for c in grown["clusters"]}
    assert grown_ids[("a:1", "b:1", "d:1")] == ids[("a:1", "b:1")]
    assert grown_ids[("c:1",)] == ids[("c:1",)]
    changed = [h for h in grown["history"] if h["kind"] == "changed"]
    assert changed == [{"cluster_id": ids[("a:1", "b:1")], "kind": "changed",
                        "note": "1 flag joined, 1 entity joined", "related": []}]


def test_a_split_keeps_the_id_on_the_bigger_part_and_notes_the_other():
    # A bridge flag joins P1's three flags to P2's single flag; closing it splits the cluster.
    bridge = flag("bridge:1", "person_id=P1", "person_id=P2")
    left = [flag("l:1", "person_id=P1"), flag("l:2", "person_id=P1"), flag("l:3", "person_id=P1")]
    right = [flag("r:1", "person_id=P2")]
    first = cluster_flags([bridge, *left, *right], AS_OF, {"C-12": ["flag:x"]}, 13)
    [whole] = first["clusters"]
    assert whole["cluster_id"] == "C-13"
    previous = {"C-13": whole["members"]}

    split = cluster_flags([*left, *right], AS_OF, previous, first["next_number"])
    ids = {tuple(c["flags"]): c["cluster_id"] for c in split["clusters"]}
    assert ids == {("l:1", "l:2", "l:3"): "C-13", ("r:1",): "C-14"}
    notes = {h["cluster_id"]: (h["kind"], h["note"]) for h in split["history"]}
    assert notes["C-14"] == ("split", "split from C-13")
    assert notes["C-13"][0] == "changed"
    assert split["next_number"] == 15


def test_a_merge_keeps_the_id_of_the_biggest_overlap_and_notes_both():
    seven = [flag("s:1", "person_id=P7")]
    nine = [flag("n:1", "address_id=A9"), flag("n:2", "address_id=A9")]
    previous = {"C-7": ["flag:s:1", "person_id=P7"],
                "C-9": ["address_id=A9", "flag:n:1", "flag:n:2"]}
    bridge = flag("bridge:1", "person_id=P7", "address_id=A9")
    merged = cluster_flags([*seven, *nine, bridge], AS_OF, previous, 10)
    [cluster] = merged["clusters"]
    assert cluster["cluster_id"] == "C-9"
    history = {(h["cluster_id"], h["kind"]): h for h in merged["history"]}
    assert history[("C-9", "merged")]["note"] == "merged C-7 and C-9"
    assert history[("C-9", "merged")]["related"] == ["C-7"]
    assert history[("C-7", "merged_into")]["note"] == "merged into C-9"
    assert merged["next_number"] == 10


def test_equal_overlaps_fall_to_the_older_id_every_time():
    previous = {"C-4": ["flag:a:1", "person_id=P1"], "C-3": ["flag:b:1", "person_id=P2"]}
    flags = [flag("a:1", "person_id=P1", "person_id=P2"), flag("b:1", "person_id=P2")]
    for _ in range(3):
        result = cluster_flags(flags, AS_OF, previous, 5)
        assert [c["cluster_id"] for c in result["clusters"]] == ["C-3"]


def test_a_cluster_whose_flags_all_closed_is_recorded_as_closed():
    result = match_ids({"C-1": ["flag:a:1", "person_id=P1"]}, [["flag:b:1", "person_id=P2"]], 2)
    assert result["ids"] == ["C-2"]
    assert [(h["cluster_id"], h["kind"]) for h in result["history"]] == [("C-2", "new"),
                                                                         ("C-1", "closed")]


def test_a_group_too_big_for_a_meeting_is_split_around_its_most_shared_entity():
    # A children's home (H) concerned by four flags; two of them also share a person (P1).
    flags = [flag("a:1", "address_id=H", "person_id=P1"),
             flag("b:1", "address_id=H", "person_id=P1"),
             flag("c:1", "address_id=H", "person_id=P3"),
             flag("d:1", "address_id=H", "person_id=P4")]
    assert len(cluster_flags(flags, AS_OF, max_flags=4)["clusters"]) == 1
    split = cluster_flags(flags, AS_OF, max_flags=3)["clusters"]
    assert sorted(c["flags"] for c in split) == [["a:1", "b:1"], ["c:1"], ["d:1"]]
    assert all("address_id=H" not in c["members"] for c in split)
    assert all(c["linked_through"] == [{"key": "address_id=H", "name": "H", "flags": 4}]
               for c in split)
    [pair] = [c for c in split if len(c["flags"]) == 2]
    assert [p["key"] for p in pair["key_people"]] == ["person_id=P1"]
