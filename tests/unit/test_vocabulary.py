"""The one vocabulary (graphsvc.model) and the shared input rules agree with what they replace."""

from __future__ import annotations

import doctest
from datetime import date

import pytest

from graphsvc import dates, model, validate
from graphsvc.errors import InputError
from graphsvc.rules import catalogue


@pytest.mark.parametrize("module", [dates, validate])
def test_the_module_examples_hold(module):
    failures, tried = doctest.testmod(module)
    assert tried >= 1 and failures == 0


def test_every_rule_has_its_title_short_title_and_phrase_from_its_header():
    titles = model.rule_titles()
    assert set(titles) == set(catalogue())
    for rule_id, names in titles.items():
        assert names.title and names.short and names.phrase, rule_id
        assert len(names.short) <= 22, rule_id  # fits a node of the graph picture
    assert model.rule_title("order_breach") == "Order breach: contact with a child"
    assert model.rule_phrase("ooa_child_near_high_risk_offender") == (
        "out-of-area child placed near a high-risk offender")
    assert model.short_title("no_such_rule") == "no such rule"


def test_the_status_sets_are_named_for_what_they_hold():
    assert model.AWAITING_DECISION == ("new", "under_review")
    assert model.LIVE == ("new", "under_review", "actioned")
    assert set(model.CLOSED) | set(model.AWAITING_DECISION) | {"resolved"} == set(model.STATUSES)
    assert set(model.DECISIONS) == {s for targets in model.TRANSITIONS.values() for s in targets}
    assert all(type(s) is str for s in model.LIVE)  # plain text for the engines' drivers


def test_each_kind_is_one_row_with_its_label_key_and_links():
    assert model.KINDS["plan"].label == "ProtectionPlan" and model.KINDS["plan"].key == "plan_id"
    assert model.KIND_OF_KEY["vrm"] == "vehicle" and model.KIND_OF_LABEL["Phone"] == "phone"
    assert sorted(model.LINKING) == ["address_id", "number", "person_id", "vrm"]
    assert "flag_id" not in model.FLAGGABLE and len(model.FLAGGABLE) == len(model.KINDS) - 1


@pytest.mark.parametrize("text", [None, "", "  ", "ab", " a  \n "])
def test_a_justification_of_under_three_characters_is_refused(text):
    with pytest.raises(InputError, match="at least 3 characters"):
        validate.check_justification(text)


def test_a_justification_is_tidied_and_cut():
    assert validate.check_justification("  INC \n 42 ") == "INC 42"
    assert len(validate.check_justification("x" * 900)) == validate.MAX_JUSTIFICATION


def test_years_are_added_and_taken_calendar_exactly():
    assert dates.add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert dates.add_years(date(2025, 3, 1), -18) == date(2007, 3, 1)
