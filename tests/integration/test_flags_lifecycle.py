"""Flags under repeated rule runs: stable identity, resolution, return, reopening, decisions."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from graphsvc import flags, model
from graphsvc.errors import InputError, NotFound
from graphsvc.rules import latest_runs, run_rule, run_rules, runs_of
from tests.rule_data import AS_OF, Graph, ago

RULE = "repeat_missing_child"


def _child_missing(*days_ago: int, child: str = "C1") -> Graph:
    g = Graph().person(child, 14)
    for n, d in enumerate(days_ago):
        g.incident(f"M{n}", "missing", d, (child, "missing_person"))
    return g


def test_running_the_rules_twice_gives_the_same_flags_and_no_duplicates(store, settings,
                                                                         tmp_path):
    _child_missing(1, 20, 40).load(store, settings, tmp_path)
    first = run_rules(store, settings, as_of=AS_OF).runs
    assert all(r.error is None for r in first)
    before = flags.list_flags(store)
    second = run_rules(store, settings, as_of=AS_OF).runs
    after = flags.list_flags(store)
    assert [f["flag_id"] for f in after] == [f["flag_id"] for f in before]
    assert len(after) == len({f["flag_id"] for f in after}) == 1
    assert sum(r.flags_new for r in second) == 0
    assert sum(r.flags_updated for r in second) == 1
    (flag,) = after
    assert [e["kind"] for e in flags.flag_history(store, flag["flag_id"])] == ["raised"]
    assert flag["flag_id"] == flags.flag_id(RULE, ["person_id=C1"])
    assert store.read_one("flags/runs_for_rule", rule_id=RULE) is not None
    assert len(runs_of(store, RULE)) == 2


def test_runs_that_start_in_the_same_second_keep_the_order_they_started_in(store):
    # The graph keeps times to the second, so two short runs can share a start. The one that
    # started first must still come first, whatever their ids (the later one's id sorts first).
    second = datetime(2026, 12, 2, 4, 56, 43)
    for run_id, started_ns in (("ffff", 2), ("0000", 3), ("8888", 1)):
        store.write("flags/run_start", run_id=run_id, rule_id=RULE, as_of=AS_OF, at=second,
                    started_ns=started_ns, params_json="{}", trigger="manual")
    assert [r["run_id"] for r in runs_of(store, RULE)] == ["8888", "ffff", "0000"]
    assert latest_runs(store)[RULE]["run_id"] == "0000"


def test_a_run_that_never_finished_reads_as_not_ended_on_both_engines(store):
    # A scheduler killed mid-run leaves its JobRun started and never finished.
    store.write("flags/run_start", run_id="dead", rule_id=RULE, as_of=AS_OF,
                at=datetime(2026, 12, 2, 4, 56, 43), started_ns=1, params_json="{}",
                trigger="schedule")
    (run,) = runs_of(store, RULE)
    assert run["status"] == "running"
    assert run["ended_at"] is None and run["error"] is None
    assert latest_runs(store)[RULE]["ended_at"] is None


def test_a_flag_whose_condition_ends_is_resolved_and_comes_back_new(store, settings, tmp_path):
    _child_missing(1, 20, 40).load(store, settings, tmp_path)
    run_rule(store, RULE, as_of=AS_OF)
    (flag,) = flags.list_flags(store, rule=RULE)
    # 60 days later the first episode has left the 90-day window.
    later = run_rule(store, RULE, as_of=ago(-60))
    assert later.flags_resolved == 1
    resolved = flags.get_flag(store, flag["flag_id"])
    assert resolved["status"] == "resolved" and resolved["resolved_at"] is not None
    # Replaying the original date: the condition holds again.
    again = run_rule(store, RULE, as_of=AS_OF)
    assert again.flags_reopened == 1
    back = flags.get_flag(store, flag["flag_id"])
    assert back["status"] == "new"
    assert [e["kind"] for e in back["history"]] == ["raised", "resolved", "reopened"]


def test_a_closed_flag_reopens_when_a_new_incident_arrives(store, settings, tmp_path):
    g = _child_missing(10, 20, 40)
    g.load(store, settings, tmp_path)
    run_rule(store, RULE, as_of=AS_OF)
    (flag,) = flags.list_flags(store, rule=RULE)
    flags.record_decision(store, flag["flag_id"], by="sgt.jones", status="under_review",
                          reason="Tasking meeting 12 June")
    flags.record_decision(store, flag["flag_id"], by="sgt.jones", status="actioned",
                          reason="Return interviews arranged", action="Missing coordinator "
                          "to meet carers", owner="pc.smith", due_date=AS_OF.isoformat(),
                          at=datetime(2025, 6, 30, 9, 0))
    # A re-run with the same evidence leaves it closed.
    assert run_rule(store, RULE, as_of=AS_OF).flags_reopened == 0
    assert flags.get_flag(store, flag["flag_id"])["status"] == "actioned"
    # A fourth episode is a material change.
    Graph().incident("M9", "missing", 2, ("C1", "missing_person")).load(store, settings, tmp_path)
    result = run_rule(store, RULE, as_of=AS_OF)
    assert result.flags_reopened == 1
    reopened = flags.get_flag(store, flag["flag_id"])
    assert reopened["status"] == model.REOPEN
    history = reopened["history"]
    assert [e["kind"] for e in history] == ["raised", "decision", "decision", "reopened"]
    assert "incident_id=M9" in history[-1]["reason"]
    assert history[2]["owner"] == "pc.smith" and history[2]["action"].startswith("Missing")
    assert str(history[2]["due_date"]) == AS_OF.isoformat()
    assert reopened["entities"]["incident_id"] == ["M0", "M1", "M2", "M9"]


def test_growth_on_an_open_flag_is_recorded_without_changing_its_status(store, settings,
                                                                        tmp_path):
    _child_missing(10, 20, 40).load(store, settings, tmp_path)
    run_rule(store, RULE, as_of=AS_OF)
    (flag,) = flags.list_flags(store, rule=RULE)
    flags.record_decision(store, flag["flag_id"], by="dc.ahmed", status="under_review",
                          reason="Looking into it")
    Graph().incident("M9", "missing", 2, ("C1", "missing_person")).load(store, settings, tmp_path)
    run_rule(store, RULE, as_of=AS_OF)
    now = flags.get_flag(store, flag["flag_id"])
    assert now["status"] == "under_review"
    assert now["history"][-1]["kind"] == "evidence_changed"


def test_decisions_are_validated_in_plain_words(store, settings, tmp_path):
    _child_missing(10, 20, 40).load(store, settings, tmp_path)
    run_rule(store, RULE, as_of=AS_OF)
    (flag,) = flags.list_flags(store, rule=RULE)
    fid = flag["flag_id"]
    with pytest.raises(NotFound):
        flags.record_decision(store, "nope:1", by="x", status="under_review", reason="r")
    with pytest.raises(InputError, match="Give the rationale"):
        flags.record_decision(store, fid, by="x", status="under_review", reason="  ")
    # One validator for every door (graphsvc.flags.check_decision): an action needs what it is,
    # who owns it and when it is due; every problem is listed at once.
    with pytest.raises(InputError, match="needs the action agreed. An action needs an owner: "
                                         "say who will do it. An action needs a due date."):
        flags.record_decision(store, fid, by="x", status="actioned", reason="done")
    with pytest.raises(InputError, match="carries no action, owner or due date"):
        flags.record_decision(store, fid, by="x", status="under_review", reason="r",
                              action="Visit", owner="o")
    with pytest.raises(InputError, match="Choose a decision .*not 'resolved'"):
        flags.record_decision(store, fid, by="x", status="resolved", reason="gone")
    with pytest.raises(InputError, match="not a date"):
        flags.record_decision(store, fid, by="x", status="actioned", reason="r", action="a",
                              owner="o", due_date="next week")
    flags.record_decision(store, fid, by="x", status="no_further_action", reason="Known, safe")
    with pytest.raises(InputError, match="no further action cannot be set to actioned"):
        flags.record_decision(store, fid, by="x", status="actioned", reason="r", action="a",
                              owner="o", due_date=date.today())
    assert flags.get_flag(store, fid)["status"] == "no_further_action"
    assert len(flags.flag_history(store, fid)) == 2  # raised, one decision: nothing half-done


def test_open_flags_for_entities_finds_flags_by_any_concerned_entity(store, settings, tmp_path):
    g = _child_missing(10, 20, 40)
    g.person("C2", 14).incident("N1", "missing", 5, ("C2", "missing_person"))
    g.load(store, settings, tmp_path)
    run_rule(store, RULE, as_of=AS_OF)
    assert [f["entities"]["person_id"] for f in
            flags.open_flags_for_entities(store, ["person_id=C1", "address_id=NONE"])] == [["C1"]]
    assert flags.open_flags_for_entities(store, ["incident_id=M1"])[0]["rule_id"] == RULE
    assert flags.open_flags_for_entities(store, ["person_id=C2"]) == []
    with pytest.raises(InputError, match="not an entity key"):
        flags.open_flags_for_entities(store, ["C1"])


def test_open_flags_at_address_reads_the_flags_open_flags_for_entities_reads(
        store, settings, tmp_path):
    g = _child_missing(10, 20, 40)
    g.person("C2", 14).incident("N1", "missing", 5, ("C2", "missing_person"))
    g.load(store, settings, tmp_path)
    run_rule(store, RULE, as_of=AS_OF)
    (flag,) = flags.list_flags(store, rule=RULE)
    concerned = flag["concerned_keys"]
    assert {k.partition("=")[0] for k in concerned} >= {"person_id", "incident_id"}
    for key in concerned:  # each kind's branch finds it
        assert [f["flag_id"] for f in flags.open_flags_at_address(store, [key])] == [
            flag["flag_id"]]
    keys = [*concerned, "person_id=C2", "address_id=NONE", "plan_id=NONE", "order_id=NONE",
            "placement_id=NONE"]
    assert flags.open_flags_at_address(store, keys) == flags.open_flags_for_entities(store, keys)
    assert flags.open_flags_at_address(store, ["person_id=C2"]) == []
    with pytest.raises(ValueError, match="no vrm keys"):
        flags.open_flags_at_address(store, ["person_id=C1", "vrm=AB12CDE"])


def test_concerns_links_follow_the_current_evidence(store, settings, tmp_path):
    _child_missing(10, 20, 40, 85).load(store, settings, tmp_path)
    run_rule(store, RULE, as_of=AS_OF)
    (flag,) = flags.list_flags(store, rule=RULE)
    linked = {e["entity_key"] for e in flags.get_flag(store, flag["flag_id"])["concerned"]}
    assert "incident_id=M3" in linked
    run_rule(store, RULE, as_of=ago(-10))  # M3 (85 days before) has left the 90-day window
    now = flags.get_flag(store, flag["flag_id"])
    assert now["status"] == "new"
    assert {e["entity_key"] for e in now["concerned"]} == {
        "person_id=C1", "incident_id=M0", "incident_id=M1", "incident_id=M2"}
    assert {e["role"] for e in now["concerned"]} == {"child", "incident"}
