"""The review queue ranks first the pairs whose confirmation would raise a flag, and says why;
confirming such a pair does raise it (the ranking is checked against the rules themselves)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

from graphsvc.identities.links import decide_link
from graphsvc.identities.review import review_queue
from tests.rule_data import AS_OF, Graph, born, run

HOUSEHOLD = "offender_household_with_child"
UNNOTIFIED = "offender_unnotified_address"


def _scene(store, settings, tmp_path) -> None:
    """VIS-2 is on the register with a home at NOTIFIED; RMS-2 (the same man, if linked) lives
    at HOUSE with the child RMS-6; CS-6 may be RMS-6's children's-services record; CS-3 and
    RMS-3, two adults with no record of note, are the most probable pair."""
    g = Graph().address("NOTIFIED").address("HOUSE", 52.64, 1.30)
    g.add("people", person_id="VIS-2", given_name="Gary", family_name="Holt",
          date_of_birth="1960-01-10", source="visor")
    g.offender("VIS-2", rosh="high").home("VIS-2", "NOTIFIED", start_date="2020-01-01")
    g.add("people", person_id="RMS-2", given_name="Garry", family_name="Holt",
          date_of_birth="1960-01-01", source="rms").home("RMS-2", "HOUSE",
                                                        start_date="2024-01-01")
    g.add("people", person_id="RMS-6", given_name="Ellie", family_name="Marsh",
          date_of_birth=born(8), source="rms").home("RMS-6", "HOUSE", start_date="2019-03-01")
    g.add("people", person_id="CS-6", given_name="Elle", family_name="Marsh",
          date_of_birth=born(8), source="childrens_services")
    for pid, source in (("CS-3", "childrens_services"), ("RMS-3", "rms")):
        g.add("people", person_id=pid, given_name="Dawn", family_name="Hale",
              date_of_birth="1962-01-01", source=source)
    g.load(store, settings, tmp_path)
    store.write_rows("identities/link_set_model", [
        {"a": a, "b": b, "probability": p, "status": "for_review", "evidence_json": json.dumps([])}
        for a, b, p in (("RMS-2", "VIS-2", 0.6), ("CS-3", "RMS-3", 0.97),
                        ("CS-6", "RMS-6", 0.55))], now=datetime.now().isoformat())


def _order(store) -> list[tuple[str, int]]:
    return [(p.key, p.rank) for p in review_queue(store, as_of=AS_OF)]


def test_a_pair_whose_confirmation_raises_a_flag_comes_first_and_does_raise_it(
        store, settings, tmp_path):
    _scene(store, settings, tmp_path)
    assert run(store, HOUSEHOLD) == [] and run(store, UNNOTIFIED) == []
    queue = review_queue(store, as_of=AS_OF)
    assert [(p.key, p.rank) for p in queue] == [
        ("RMS-2|VIS-2", 0), ("CS-3|RMS-3", 2), ("CS-6|RMS-6", 2)]
    why = " ".join(queue[0].depends)
    assert "registered offender VIS-2 in the household of child RMS-6 at HOUSE" in why
    assert "VIS-2 living at HOUSE, an address the register does not hold" in why
    assert queue[1].depends == [] and queue[2].depends == []

    own = replace(settings, app_data_dir=tmp_path / "app")
    decide_link(store, own, "CS-3", "RMS-3", decision="confirm", reason="same", by="jo",
                role="intelligence")
    assert run(store, HOUSEHOLD) == [] and run(store, UNNOTIFIED) == []  # nothing, as ranked
    decide_link(store, own, "RMS-2", "VIS-2", decision="confirm", reason="same", by="jo",
                role="intelligence")
    [household] = run(store, HOUSEHOLD)
    [unnotified] = run(store, UNNOTIFIED)
    assert {"person_id=RMS-6", "person_id=VIS-2"} <= set(household["concerned_keys"])
    assert "address_id=HOUSE" in unnotified["concerned_keys"]
    # the child's other record now would change an open flag: it comes before nothing
    [(key, rank)] = _order(store)
    assert (key, rank) == ("CS-6|RMS-6", 1)
    [pair] = review_queue(store, as_of=AS_OF)
    assert any("would change the open flag offender household with child about RMS-6" in d
               for d in pair.depends)


def test_a_stay_begun_within_the_notification_period_raises_nothing_yet(
        store, settings, tmp_path):
    """The register has 3 days to be told of a move: a home begun 2 days ago is not an
    unnotified address, and without a child there the pair would raise nothing."""
    g = Graph().address("NOTIFIED").address("FLAT", 52.64, 1.30)
    g.add("people", person_id="VIS-9", given_name="Ray", family_name="Dunn",
          date_of_birth="1970-05-05", source="visor")
    g.offender("VIS-9").home("VIS-9", "NOTIFIED", start_date="2020-01-01")
    g.add("people", person_id="RMS-9", given_name="Ray", family_name="Dunn",
          date_of_birth="1970-05-05", source="rms")
    g.home("RMS-9", "FLAT", start_date=(AS_OF.replace(day=AS_OF.day - 2)).isoformat())
    g.load(store, settings, tmp_path)
    store.write_rows("identities/link_set_model", [
        {"a": "RMS-9", "b": "VIS-9", "probability": 0.9, "status": "for_review",
         "evidence_json": "[]"}], now=datetime.now().isoformat())
    assert _order(store) == [("RMS-9|VIS-9", 2)]
    decide_link(store, replace(settings, app_data_dir=tmp_path / "app"), "RMS-9", "VIS-9",
                decision="confirm", reason="same", by="jo", role="intelligence")
    assert run(store, UNNOTIFIED) == [] and run(store, HOUSEHOLD) == []
