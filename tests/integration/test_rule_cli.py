"""`graphsvc jobs run|list` and `graphsvc flags list|show|decide` through the real entry point."""

from __future__ import annotations

import json

from tests.rule_data import AS_OF, load_repeat_missing_scene

RULE = "repeat_missing_child"


_scene = load_repeat_missing_scene


def test_jobs_run_prints_a_summary_and_flags_list_shows_the_flag_as_json(store, settings,
                                                                        tmp_path, run_cli):
    _scene(store, settings, tmp_path)
    done = run_cli("jobs", "run", RULE, "--as-of", AS_OF.isoformat())
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith(RULE))
    assert line.split()[1:] == ["1", "1", "0", "0", "0"]  # rows, new, updated, resolved, reopened
    assert "Tasking clusters recomputed: 1 clusters of 1 open flags." in done.stdout
    listed = run_cli("flags", "list", "--rule", RULE, "--format", "json")
    assert listed.returncode == 0, listed.stderr
    (flag,) = json.loads(listed.stdout)
    assert flag["rule_id"] == RULE and flag["severity"] == "medium" and flag["status"] == "new"
    assert flag["entities"] == {"incident_id": ["M0", "M1", "M2"], "person_id": ["C1"]}
    assert flag["evidence"]["count"] == 3
    decided = run_cli("flags", "decide", flag["flag_id"], "--by", "sgt.jones",
                      "--status", "under_review", "--reason", "tasking 1 July")
    assert decided.returncode == 0, decided.stderr
    shown = run_cli("flags", "show", flag["flag_id"])
    assert "sgt.jones: decision new -> under_review: tasking 1 July" in shown.stdout
    # people by name and age, not by record id, in the table and in the evidence
    table = run_cli("flags", "list", "--rule", RULE)
    assert table.returncode == 0, table.stderr
    row = next(x for x in table.stdout.splitlines() if x.startswith(flag["flag_id"]))
    assert "Sam C1 (" in row and "Child C1 " not in row
    assert "Sam C1 (" in shown.stdout and "  - Went missing on " in shown.stdout


def test_unknown_rule_or_parameter_is_a_plain_error(run_cli):
    bad = run_cli("jobs", "run", "no_such_rule")
    assert bad.returncode == 2
    assert "There is no rule 'no_such_rule'. The rules are:" in bad.stderr
    assert "repeat_missing_child" in bad.stderr and "Traceback" not in bad.stderr
    param = run_cli("jobs", "run", RULE, "--param", f"{RULE}.window_days=soon")
    assert param.returncode == 2
    assert f"Parameter {RULE}.window_days must be a whole number" in param.stderr
    future = run_cli("jobs", "run", RULE, "--as-of", "2999-01-01")
    assert future.returncode == 2 and "in the future" in future.stderr


def test_a_failing_rule_is_reported_and_the_others_still_run(store, settings, tmp_path, run_cli):
    _scene(store, settings, tmp_path)
    # A parameter of the wrong shape for the engine (a list where a number is compared) makes
    # this one rule fail inside the engine; the rule after it still runs.
    done = run_cli("jobs", "run", "overdue_return_interview", RULE,
                   "--param", "overdue_return_interview.overdue_hours=1e30",
                   "--as-of", AS_OF.isoformat())
    assert done.returncode == 1
    assert "Rule overdue_return_interview failed:" in done.stderr
    assert "Traceback" not in done.stderr and "jobs.log" in done.stderr
    assert "Traceback" in (settings.data_dir / "logs" / "jobs.log").read_text()
    assert next(x for x in done.stdout.splitlines() if x.startswith(RULE)).split()[2] == "1"
    listing = run_cli("jobs", "list", "--format", "json")
    result = {r["rule_id"]: r for r in json.loads(listing.stdout)}
    assert result["overdue_return_interview"]["result"].startswith("failed:")
    assert result[RULE]["result"].startswith("ok: 1 rows, 1 new")
    assert result["order_breach"]["result"] == "never run"
