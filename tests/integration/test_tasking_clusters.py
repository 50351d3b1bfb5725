"""Clusters recomputed from the real graph: which flags count, ids kept, history, the command."""

from __future__ import annotations

from datetime import date

import pytest

from graphsvc import clusters, flags
from tests.tasking_data import address, concern, load, person, raise_mill_lane_flags, run_rule

# Application data on each backend (SQLite, and PostgreSQL when the test leg has one).
pytestmark = pytest.mark.app_dbs


def _three_flag_graph(store, settings, tmp_path) -> dict[str, str]:
    load(store, settings, tmp_path,
         people=[person("P1", "Amy", "Able", "2012-05-01"), person("P2", "Ben", "Baker"),
                 person("P3", "Cal", "Cole"), person("P4", "Dee", "Dunn")],
         addresses=[address("A1", "1 Mill Lane", "NR1 1AA"),
                    address("A2", "2 Elm Road", "NR2 2BB")],
         associations=[{"person_id": "P3", "target_type": "vehicle", "target_id": "AB12 CDE",
                        "relation": "uses_vehicle"}])
    raised = raise_mill_lane_flags(store)
    near, house, car = raised["near"], raised["house"], raised["car"]
    return {"near": near, "house": house, "car": car}


def test_recompute_groups_open_flags_by_what_they_share(store, web_settings, tmp_path):
    settings = web_settings
    ids = _three_flag_graph(store, settings, tmp_path)
    summary = clusters.recompute(store, settings)
    assert summary["clusters"] == 2 and summary["open_flags"] == 3
    assert summary["events"] == {"new": 2}
    board = clusters.list_clusters(settings)
    assert [sorted(c["flags"]) for c in board] == [sorted([ids["near"], ids["house"]]),
                                                   [ids["car"]]]
    top = board[0]
    assert top["cluster_id"] in ("C-1", "C-2") and top["rank"] == 1
    assert top["score"] == 12.0  # critical 9 + high 3, both seen today
    names = {e["key"]: e["name"] for e in top["entities"]}
    assert names == {"person_id=P1": "Amy Able", "person_id=P2": "Ben Baker",
                     "address_id=A1": "1 Mill Lane, NR1 1AA"}


def test_a_flag_closed_with_no_further_action_leaves_its_cluster(store, web_settings, tmp_path):
    settings = web_settings
    ids = _three_flag_graph(store, settings, tmp_path)
    clusters.recompute(store, settings)
    flags.record_decision(store, ids["car"], by="chair", status="no_further_action",
                          reason="Vehicle sold in 2023.")
    flags.record_decision(store, ids["house"], by="chair", status="actioned",
                          reason="Visit agreed.", action="Joint visit", owner="DS Reed",
                          due_date=date.today())
    summary = clusters.recompute(store, settings)
    assert summary["clusters"] == 1 and summary["open_flags"] == 2
    [cluster] = clusters.list_clusters(settings)
    assert sorted(cluster["flags"]) == sorted([ids["near"], ids["house"]])
    history = clusters.cluster_history(settings)
    assert [h["kind"] for h in history if h["run_id"] == summary["run_id"]] == ["closed"]


def test_ids_survive_recomputation_and_a_split_is_recorded(store, web_settings, tmp_path):
    settings = web_settings
    ids = _three_flag_graph(store, settings, tmp_path)
    first = clusters.recompute(store, settings)
    [big] = [c for c in clusters.list_clusters(settings) if len(c["flags"]) == 2]
    again = clusters.recompute(store, settings)
    assert again["events"] == {"unchanged": 2}
    assert {c["cluster_id"] for c in clusters.list_clusters(settings)} == {"C-1", "C-2"}

    # P2 moves away: the house rule now concerns another address, so the cluster splits.
    run_rule(store, "house", concern(("person_id", "P2", "offender"),
                                     ("address_id", "A2", "address")))
    split = clusters.recompute(store, settings)
    after = {c["cluster_id"]: c for c in clusters.list_clusters(settings)}
    assert after[big["cluster_id"]]["flags"] == [ids["near"]]
    [fresh] = [c for c in after.values() if c["cluster_id"] not in ("C-1", "C-2")]
    assert fresh["cluster_id"] == "C-3"
    events = [(h["cluster_id"], h["kind"], h["note"]) for h in clusters.cluster_history(settings)
              if h["run_id"] == split["run_id"]]
    # the new house flag shares P2 with the old cluster, so it split from it
    assert (fresh["cluster_id"], "split", f"split from {big['cluster_id']}") in events
    assert first["run_id"] < again["run_id"] < split["run_id"]


def test_a_merge_is_recorded_on_the_surviving_id(store, web_settings, tmp_path):
    settings = web_settings
    ids = _three_flag_graph(store, settings, tmp_path)
    clusters.recompute(store, settings)
    before = {c["flags"][0] if len(c["flags"]) == 1 else "big": c["cluster_id"]
              for c in clusters.list_clusters(settings)}
    # P3, the car's driver, is now seen at the Mill Lane address: one situation.
    run_rule(store, "seen", concern(("person_id", "P3", "adult"),
                                    ("address_id", "A1", "address")))
    merged = clusters.recompute(store, settings)
    [cluster] = clusters.list_clusters(settings)
    assert cluster["cluster_id"] == before["big"]
    assert ids["car"] in cluster["flags"]
    notes = {(h["cluster_id"], h["kind"]): h["note"] for h in clusters.cluster_history(settings)
             if h["run_id"] == merged["run_id"]}
    pair = sorted([before["big"], before[ids["car"]]], key=clusters.cluster_number)
    assert notes[(before["big"], "merged")] == f"merged {pair[0]} and {pair[1]}"
    assert notes[(before[ids["car"]], "merged_into")] == f"merged into {before['big']}"


def test_clusters_commands_recompute_and_list(store, web_settings, tmp_path, run_cli):
    _three_flag_graph(store, web_settings, tmp_path)
    env = {"GRAPHSVC_APP_DIR": str(web_settings.app_dir), "GRAPHSVC_APP_DB": web_settings.app_db}
    done = run_cli("clusters", "recompute", env=env)
    assert done.returncode == 0, done.stderr
    assert "2 clusters from 3 open flags" in done.stdout
    listed = run_cli("clusters", "list", env=env)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0].split()[:3] == ["rank", "cluster", "score"]
    assert "12.0" in lines[1] and "critical" in lines[1]
    shown = run_cli("clusters", "show", "C-404", env=env)
    assert shown.returncode == 6
    assert "There is no cluster C-404" in shown.stderr
    assert "Traceback" not in shown.stderr
    assert len(clusters.list_clusters(web_settings)) == 2  # the command's clustering, stored
