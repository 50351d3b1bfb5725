"""The board follows decisions at once: a decision re-clusters the clusters it touches (and only
those), through the CLI and the tasking domain alike, with no recompute run by hand."""

from __future__ import annotations

from datetime import date

import pytest

from graphsvc import cluster_update, clusters, flags, tasking
from graphsvc.decisions import decide_flags
from graphsvc.errors import InputError
from graphsvc.importer import import_folder
from graphsvc.rules import run_rules
from tests.tasking_data import address, load, person, raise_mill_lane_flags

# Application data on each backend (SQLite, and PostgreSQL when the test leg has one).
pytestmark = pytest.mark.app_dbs


def _board_of_two(store, settings, tmp_path) -> dict[str, str]:
    """A child near an offender at one address (two flags), a car used by a third man."""
    load(store, settings, tmp_path,
         people=[person("P1", "Amy", "Able", "2012-05-01"), person("P2", "Ben", "Baker"),
                 person("P3", "Cal", "Cole")],
         addresses=[address("A1", "1 Mill Lane", "NR1 1AA")],
         associations=[{"person_id": "P3", "target_type": "vehicle", "target_id": "AB12 CDE",
                        "relation": "uses_vehicle"}])
    raised = raise_mill_lane_flags(store)
    near, house, car = raised["near"], raised["house"], raised["car"]
    clusters.recompute(store, settings)
    by_flag = {f: c["cluster_id"] for c in clusters.list_clusters(settings) for f in c["flags"]}
    return {"near": near, "house": house, "car": car, "big": by_flag[near],
            "small": by_flag[car]}


def test_flags_decide_on_every_flag_of_a_cluster_takes_it_off_clusters_list(
        store, web_settings, tmp_path, run_cli):
    ids = _board_of_two(store, web_settings, tmp_path)
    env = {"GRAPHSVC_APP_DIR": str(web_settings.app_dir), "GRAPHSVC_APP_DB": web_settings.app_db}
    before = run_cli("clusters", "list", env=env).stdout
    assert ids["big"] in before and "2 clusters" in before
    for flag_id in (ids["near"], ids["house"]):
        done = run_cli("flags", "decide", flag_id, "--by", "DI Shaw", "--status",
                       "no_further_action", "--reason", "Placement ended", env=env)
        assert done.returncode == 0, done.stderr
    after = run_cli("clusters", "list", env=env).stdout
    assert ids["big"] not in after and ids["small"] in after and "1 clusters" in after
    [only] = clusters.list_clusters(web_settings)
    assert only["rank"] == 1 and only["flags"] == [ids["car"]]
    [closed] = [h for h in clusters.cluster_history(web_settings, ids["big"])
                if h["kind"] == "closed"]
    assert closed["note"] == "no open flag left"


def test_closing_one_flag_rescores_its_cluster_and_reranks_the_board(store, web_settings,
                                                                     tmp_path):
    ids = _board_of_two(store, web_settings, tmp_path)
    decide_flags(store, web_settings, [ids["near"]], by="DI Shaw", status="no_further_action",
                 reason="Moved")
    board = {c["cluster_id"]: c for c in clusters.list_clusters(web_settings)}
    big = board[ids["big"]]
    assert big["flags"] == [ids["house"]] and big["score"] == 3.0 and big["rank"] == 1
    assert board[ids["small"]]["rank"] == 2


def test_a_decision_keeping_a_flag_open_leaves_it_on_the_board(store, web_settings, tmp_path):
    ids = _board_of_two(store, web_settings, tmp_path)
    decide_flags(store, web_settings, [ids["near"]], by="DI Shaw", status="actioned",
                 reason="Visit", action="Joint visit", owner="DS Reed",
                 due_date=date.today().isoformat())
    big = clusters.get_cluster(web_settings, ids["big"])
    assert sorted(big["flags"]) == sorted([ids["near"], ids["house"]])


def test_a_whole_cluster_decision_is_all_or_nothing(store, web_settings, tmp_path):
    ids = _board_of_two(store, web_settings, tmp_path)
    flags.record_decision(store, ids["house"], by="x", status="no_further_action", reason="r")
    with pytest.raises(InputError, match="cannot be set to actioned"):
        flags.record_decisions(store, [ids["near"], ids["house"]], by="x", status="actioned",
                               reason="r", action="a", owner="o", due_date=date.today())
    assert flags.get_flag(store, ids["near"])["status"] == "new"  # nothing written
    # The statement itself writes nothing when any flag moved on since it was read.
    done = store.write("flags/record_decisions", rows=[
        {"flag_id": ids["near"], "from_status": "new", "event_id": "e1", "seq": 1},
        {"flag_id": ids["house"], "from_status": "new", "event_id": "e2", "seq": 2}],
        to_status="under_review", at="2025-01-01T10:00:00", by="x", reason="r", action=None,
        owner=None, due_date=None)
    assert done[0]["decided"] == 0
    assert flags.get_flag(store, ids["near"])["status"] == "new"
    assert len(flags.flag_history(store, ids["near"])) == 1  # only "raised"


def test_a_meeting_decision_on_a_whole_cluster_updates_the_board(store, web_settings, tmp_path):
    ids = _board_of_two(store, web_settings, tmp_path)
    meeting = tasking.open_meeting(web_settings, held_on=date.today(), chair="DI Shaw",
                                   attendees="DS Reed", by="shaw")
    tasking.decide(store, web_settings, meeting_id=meeting["meeting_id"], cluster_id=ids["big"],
                   flag_id=None, by="shaw", status="no_further_action", reason="Safe now")
    board = tasking.board(store, web_settings)
    assert [c["cluster_id"] for c in board["clusters"]] == [ids["small"]]
    assert board["counts"]["flags"] == 1


@pytest.mark.slow
def test_the_incremental_update_matches_a_full_recompute_on_the_county(store, web_settings,
                                                                       tmp_path):
    from graphsvc.synth import generate

    as_of = date(2025, 6, 30)
    generate(tmp_path / "county", scale="small", seed=7, as_of=as_of)
    import_folder(store, tmp_path / "county", settings=web_settings)
    run_rules(store, web_settings, as_of=as_of)
    clusters.recompute(store, web_settings, as_of=as_of)
    ranked = clusters.list_clusters(web_settings)
    # Close every flag of the top cluster, one flag of the next, and review one of the third.
    decide_flags(store, web_settings, ranked[0]["flags"], by="t", status="no_further_action",
                 reason="r")
    decide_flags(store, web_settings, ranked[1]["flags"][:1], by="t",
                 status="no_further_action", reason="r")
    decide_flags(store, web_settings, ranked[2]["flags"][:1], by="t", status="under_review",
                 reason="r")
    incremental = clusters.list_clusters(web_settings)
    summary = cluster_update.recluster_flags(store, web_settings, [])
    assert summary["clusters_after"] == []
    clusters.recompute(store, web_settings, as_of=as_of)
    full = clusters.list_clusters(web_settings)
    assert [(c["cluster_id"], c["members"], c["score"], c["rank"]) for c in incremental] == \
        [(c["cluster_id"], c["members"], c["score"], c["rank"]) for c in full]


def test_the_cli_and_the_tasking_board_refuse_a_decision_in_the_same_words(
        store, web_settings, tmp_path, run_cli):
    ids = _board_of_two(store, web_settings, tmp_path)
    env = {"GRAPHSVC_APP_DIR": str(web_settings.app_dir), "GRAPHSVC_APP_DB": web_settings.app_db}
    refused = run_cli("flags", "decide", ids["near"], "--by", "DI Shaw", "--status", "actioned",
                      "--reason", "Visit agreed", "--action", "Joint visit", "--owner", "DS Reed",
                      env=env)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "An action needs a due date." in refused.stderr
    meeting = tasking.open_meeting(web_settings, held_on=date.today(), chair="DI Shaw",
                                   attendees="DS Reed", by="shaw")
    with pytest.raises(InputError, match="An action needs a due date."):
        tasking.decide(store, web_settings, meeting_id=meeting["meeting_id"],
                       cluster_id=ids["big"], flag_id=ids["near"], by="shaw", status="actioned",
                       reason="Visit agreed", action="Joint visit", owner="DS Reed")
    assert flags.get_flag(store, ids["near"])["status"] == "new"
