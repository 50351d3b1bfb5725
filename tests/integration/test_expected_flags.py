"""The rule pack against the synthetic county's planted scenarios and near misses."""

from __future__ import annotations

import json
from datetime import date

import pytest

from graphsvc import flags
from graphsvc.importer import import_folder
from graphsvc.rules import run_rules

AS_OF = date(2025, 6, 30)
SEED = 7


def _keys(entities: dict[str, list[str]]) -> set[str]:
    return {flags.entity_key(k, v) for k, values in entities.items() for v in values}


@pytest.fixture
def county(store, settings, tmp_path):
    """The small county generated into tmp, imported, and every rule run as of its date."""
    from graphsvc.synth import generate

    folder = tmp_path / "county"
    generate(folder, scale="small", seed=SEED, as_of=AS_OF)
    import_folder(store, folder, settings=settings)
    expected = json.loads((folder / "expected_flags.json").read_text())
    results = run_rules(store, settings, as_of=expected["as_of"]).runs
    failures = {r.rule_id: r.error for r in results if r.error}
    assert not failures, failures
    return expected, flags.list_flags(store)


@pytest.mark.slow
def test_every_planted_scenario_is_flagged_and_no_near_miss(county):
    expected, raised = county
    by_rule: dict[str, list[dict]] = {}
    for flag in raised:
        if flag["status"] != "resolved":
            by_rule.setdefault(flag["rule_id"], []).append(flag)
    missed, wrong_severity, near_hits = [], [], []
    for case in expected["expected"]:
        wanted = _keys(case["entities"])
        matching = [f for f in by_rule.get(case["rule"], [])
                    if wanted <= set(f["concerned_keys"])]
        if not matching:
            missed.append(f"{case['rule']} / {case['scenario']}: {sorted(wanted)}")
        elif not any(f["severity"] == case["severity"] for f in matching):
            wrong_severity.append(f"{case['rule']} / {case['scenario']}: expected "
                                  f"{case['severity']}, got {[f['severity'] for f in matching]}")
    for case in expected["near_misses"]:
        wanted = _keys(case["entities"])
        hits = [f["flag_id"] for f in by_rule.get(case["rule"], [])
                if wanted <= set(f["concerned_keys"])]
        if hits:
            near_hits.append(f"{case['rule']} / {case['scenario']}: {hits}")
    assert expected["expected"] and expected["near_misses"]
    assert not missed, "planted scenarios not flagged:\n" + "\n".join(missed)
    assert not wrong_severity, "wrong severity:\n" + "\n".join(wrong_severity)
    assert not near_hits, "near misses flagged:\n" + "\n".join(near_hits)
    assert {c["rule"] for c in expected["expected"]} <= set(by_rule)
