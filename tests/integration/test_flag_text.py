"""Flags in words (graphsvc.flag_text): every rule of the pack, on the synthetic county's planted
scenarios, described with names, ages, addresses and dates and never an internal id."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from graphsvc import flag_text, flags, model
from graphsvc.errors import NotFound
from graphsvc.importer import import_folder
from graphsvc.rules import run_rules
from tests.tasking_data import address, concern, load, person, run_rule

AS_OF = date(2025, 6, 30)
# Ids of the synthetic county (P0001984, A000123, I00000030, SCN-…) and flag hashes.
INTERNAL_ID = re.compile(r"\b(?:[PAIO]\d{4,}|[A-Z]+-?SCN-[\w-]+|SCN-[\w-]+|[0-9a-f]{16})\b")


@pytest.mark.slow
def test_every_rule_is_described_in_words_with_no_internal_id(store, settings, tmp_path):
    from graphsvc.synth import generate

    folder = tmp_path / "county"
    generate(folder, scale="small", seed=7, as_of=AS_OF)
    import_folder(store, folder, settings=settings)
    assert not run_rules(store, settings, as_of=AS_OF).failed
    raised = [f for f in flags.list_flags(store) if f["status"] != "resolved"]
    one_per_rule = {}
    for flag in raised:
        one_per_rule.setdefault(flag["rule_id"], flag["flag_id"])
    planted = json.loads((folder / "expected_flags.json").read_text())["expected"]
    assert set(one_per_rule) == {case["rule"] for case in planted}  # every rule planted here
    texts = flag_text.describe_flags(store, one_per_rule.values(), as_of=AS_OF)
    for rule_id, flag_id in one_per_rule.items():
        text = texts[flag_id]
        sentences = [str(text.summary)] + [str(line) for line in text.evidence]
        assert text.title == model.rule_title(rule_id)
        assert text.evidence, rule_id
        for sentence in sentences:
            assert not INTERNAL_ID.search(sentence), (rule_id, sentence)
            assert "not in the graph" not in sentence, (rule_id, sentence)
        people = [e for e in text.summary.entities if e.kind == "person"]
        assert people or text.address, (rule_id, str(text.summary))
        for ref in text.summary.entities:
            assert ref.key.split("=", 1)[1] not in ref.text  # the id is secondary text only


def test_repeat_domestic_abuse_lists_each_incident_with_its_date_grade_and_children(
        store, settings, tmp_path):
    load(store, settings, tmp_path,
         people=[person("K1", "Kai", "Lowe", "2016-05-20"), person("M1", "Mia", "Lowe")],
         addresses=[address("H7", "7 Elm Row", "NR7 7EE")],
         residences=[{"person_id": "K1", "address_id": "H7", "start_date": "2016-05-20"}],
         incidents=[{"incident_id": f"D{n}", "incident_type": "domestic_abuse",
                     "occurred_at": f"2025-0{n}-1{n}T22:00:00", "address_id": "H7",
                     "risk_grade": grade, "dash_score": 5 + n}
                    for n, grade in ((1, "standard"), (2, "medium"), (3, "standard"))],
         incident_people=[{"incident_id": "D2", "person_id": "K1", "role": "child_present"}])
    [fid] = run_rule(store, "repeat_domestic_abuse_with_child", {
        "identity": ["address_id=H7"],
        "entities": [{"label_key": "address_id", "key": "H7", "role": "address"},
                     {"label_key": "person_id", "key": "K1", "role": "child"}]
        + [{"label_key": "incident_id", "key": f"D{n}", "role": "incident"} for n in (1, 2, 3)],
        "severity": "high", "summary": "3 domestic abuse incidents at H7.",
        "evidence": {"incidents": [{"incident_id": f"D{n}", "occurred_on": f"2025-0{n}-1{n}",
                                    "risk_grade": g, "children_present": ["K1"] if n == 2 else []}
                                   for n, g in ((1, "standard"), (2, "medium"), (3, "standard"))],
                     "count": 3, "children_living": ["K1"], "children_present": ["K1"],
                     "window_days": 365, "as_of": "2025-06-30"},
        "material": []})
    text = flag_text.describe_flag(store, fid, as_of=AS_OF)
    assert str(text.summary) == (
        "3 domestic abuse incidents in 365 days at 7 Elm Row, Norwich NR7 7EE, with Kai Lowe (9) "
        "present or living there; none was graded high, so only the cumulative pattern shows "
        "the risk.")
    lines = [str(line) for line in text.evidence]
    assert lines[0] == "11 January 2025: domestic abuse, graded standard, DASH 6."
    assert text.evidence[0][0].key == "incident_id=D1"  # the date links to the incident
    assert lines[1].startswith("12 February 2025:") and "graded medium" in lines[1]
    assert "present: Kai Lowe (9)" in lines[1]
    assert lines[3] == "Kai Lowe (9) lives there."
    assert text.address.key == "address_id=H7" and text.subject.text == "Kai Lowe (9)"


def test_an_unknown_flag_is_not_found(store):
    with pytest.raises(NotFound, match="There is no flag"):
        flag_text.describe_flag(store, "order_breach:0000000000000000")


def test_a_rule_outside_the_pack_keeps_its_sentence_and_lists_its_evidence(store, settings,
                                                                           tmp_path):
    load(store, settings, tmp_path, people=[person("X1", "Ann", "Other")])
    [fid] = run_rule(store, "some_local_rule", concern(("person_id", "X1", "subject"),
                                                       summary="A local concern.",
                                                       evidence={"score_points": 4}))
    text = flag_text.describe_flag(store, fid, as_of=AS_OF)
    assert str(text.summary) == "A local concern."
    assert [str(x) for x in text.evidence] == ["Score points: 4."]
