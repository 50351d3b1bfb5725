"""flag_text's pure part: a flag dict and its records → sentences, on hand-built data."""

from __future__ import annotations

import doctest
from datetime import date

import graphsvc.flag_text.wording
from graphsvc.flag_text import EntityRef, render_flag

AS_OF = date(2025, 6, 30)
RECORDS = {
    "person_id=S1": {"given_name": "Sam", "family_name": "Hale", "date_of_birth": "1970-01-02"},
    "person_id=C1": {"given_name": "Ada", "family_name": "Reed", "date_of_birth": "2012-07-01"},
    "incident_id=I9": {"incident_type": "cse_concern", "occurred_on": "2025-03-04"},
}


def breach(**evidence) -> dict:
    return {"flag_id": "order_breach:0123456789abcdef", "rule_id": "order_breach",
            "severity": "critical", "status": "new", "summary": "Order subject S1 …",
            "concerned": [{"key": "person_id=S1", "role": "order_subject"},
                          {"key": "person_id=C1", "role": "child"},
                          {"key": "order_id=O1", "role": "order"}],
            "evidence": evidence}


def test_the_module_examples_hold():
    failures, tried = doctest.testmod(graphsvc.flag_text.wording)
    assert tried >= 2 and failures == 0


def test_an_order_breach_names_both_people_with_ages_and_each_contact_by_date():
    text = render_flag(breach(
        orders=[{"order_id": "O1", "order_type": "shpo", "start_date": "2024-01-01",
                 "end_date": None}],
        contacts=[{"via": "association", "ref": "seen_with", "on": "2025-05-06"},
                  {"via": "incident", "ref": "I9", "on": "2025-03-04"}]), RECORDS, AS_OF)
    assert str(text.summary) == ("Sam Hale (55) was in contact with Ada Reed (12) (2 contacts) "
                                 "while a sexual harm prevention order forbade it.")
    assert [str(x) for x in text.evidence] == [
        "Sam Hale (55) is under a sexual harm prevention order from 1 January 2024, with no "
        "end date.",
        "On 4 March 2025: Sam Hale (55) and Ada Reed (12) were both in an incident "
        "(CSE concern).",
        "On 6 May 2025: intelligence records Sam Hale (55) as seen with Ada Reed (12)."]
    assert text.subject == EntityRef("person_id=C1", "person", "Ada Reed (12)")
    assert text.evidence[1][1] == EntityRef("incident_id=I9", "incident", "4 March 2025")


def test_evidence_of_an_unexpected_shape_falls_back_to_the_stored_sentence():
    text = render_flag(breach(orders="not a list"), RECORDS, AS_OF)
    assert str(text.summary) == "Order subject S1 …"


def test_a_record_missing_from_the_graph_is_said_so_not_shown_as_an_id():
    flag = breach(orders=[], contacts=[])
    flag["concerned"][1] = {"key": "person_id=GONE", "role": "child"}
    text = render_flag(flag, RECORDS, AS_OF)
    assert "a person not in the graph" in str(text.summary) and "GONE" not in str(text.summary)


def test_evidence_missing_the_rules_facts_is_described_by_the_stored_sentence():
    flag = {"flag_id": "shared_exploitation_link:0123456789abcdef",
            "rule_id": "shared_exploitation_link", "severity": "high", "status": "new",
            "summary": "Child 1 is linked to Sam.", "evidence": {"count": 2},
            "concerned": [{"key": "person_id=C1", "role": "child"}]}
    text = render_flag(flag, RECORDS, AS_OF)
    assert str(text.summary) == "Child 1 is linked to Sam."
    assert [str(x) for x in text.evidence] == ["Count: 2."]
