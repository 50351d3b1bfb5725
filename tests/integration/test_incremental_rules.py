"""An incremental rule run after random change sets leaves the same flags as a full run."""

from __future__ import annotations

import pytest

from graphsvc import flags
from graphsvc.importer import import_folder
from graphsvc.rules import catalogue, run_rule
from graphsvc.rules.incremental import is_incremental
from tests.factories import write_folder
from tests.incremental_data import County, apply_change
from tests.rule_data import AS_OF, NORWICH, Graph

PROXIMITY = "ooa_child_near_high_risk_offender"

INCREMENTAL_RULES = [rule_id for rule_id in catalogue() if is_incremental(rule_id)]
CHANGE_SETS = 6


def _state(store, rule_id: str) -> list[dict]:
    return store.read("tests_incremental/flag_state", rule_id=rule_id)


def _differences(incremental: list[dict], full: list[dict]) -> list:
    """Each flag whose state differs: (flag id, field, incremental value, full value)."""
    by_id = {f["flag_id"]: f for f in full}
    out = []
    for flag in incremental:
        other = by_id.pop(flag["flag_id"], {})
        out += [(flag["flag_id"], k, v, other.get(k)) for k, v in flag.items()
                if other.get(k) != v]
    return out + [(fid, "missing from the incremental run") for fid in by_id]


@pytest.mark.parametrize("seed", [1, 11])
def test_incremental_run_equals_full_run_after_random_changes(store, settings, tmp_path, seed):
    county = County(seed)
    county.build()
    import_folder(store, write_folder(tmp_path / "base", {t: list(r.values()) for t, r in
                                                          county.rows.items() if r}),
                  settings=settings)
    for rule_id in INCREMENTAL_RULES:
        assert run_rule(store, rule_id, as_of=AS_OF).error is None
    moved = 0
    for step in range(CHANGE_SETS):
        upserts, deletions = county.change()
        changed = apply_change(store, settings, tmp_path / f"change-{step}", upserts, deletions)
        for rule_id in INCREMENTAL_RULES:
            before = _state(store, rule_id)
            result = run_rule(store, rule_id, as_of=AS_OF, changed=changed)
            assert result.error is None, result.error
            incremental = _state(store, rule_id)
            assert run_rule(store, rule_id, as_of=AS_OF).error is None
            full = _state(store, rule_id)
            if incremental != full:  # pytest.fail: the message is not shortened
                pytest.fail(f"{rule_id} after change set {step}: incremental != full: "
                            f"{_differences(incremental, full)}; upserts {upserts}, "
                            f"deletions {deletions}")
            moved += incremental != before
    assert moved, "no change set changed any flag: the county is too sparse to test anything"


def test_import_with_run_rules_raises_the_flag_the_change_makes(run_cli, store, tmp_path):
    g = (Graph().person("C1", 14).person("O1", 45)
         .address("HOME_C", *NORWICH, address_type="childrens_home")
         .address("HOME_O", NORWICH[0] + 0.003, NORWICH[1])
         .home("O1", "HOME_O", start_date="2020-01-01").offender("O1", rosh="high"))
    write_folder(tmp_path / "base", g.tables)
    assert run_cli("import", str(tmp_path / "base"), "--run-rules").returncode == 0
    assert not flags.list_flags(store, rule=PROXIMITY)
    placed = Graph().placement("PL1", "C1", "HOME_C", start="2024-01-01")
    write_folder(tmp_path / "change", placed.tables)
    result = run_cli("import", str(tmp_path / "change"), "--run-rules")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Rules on 3 changed records" in result.stdout
    raised = flags.list_flags(store, rule=PROXIMITY)
    assert [f["entities"]["person_id"] for f in raised] == [["C1", "O1"]]
