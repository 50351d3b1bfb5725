"""The review queue and the entity page of a person known under several records."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from graphsvc import audit
from graphsvc.identities.links import read_links
from tests.conftest import csrf_token
from tests.factories import load_graph

PEOPLE = [
    {"person_id": "CS-1", "given_name": "Kayleigh", "family_name": "Ward",
     "date_of_birth": "2012-04-03", "source": "childrens_services"},
    {"person_id": "RMS-1", "given_name": "Kayley", "family_name": "Ward",
     "date_of_birth": "2012-04-03", "source": "rms"},
    {"person_id": "RMS-2", "given_name": "Gary", "family_name": "Holt",
     "date_of_birth": "1960-01-01", "source": "rms"},
    {"person_id": "VIS-2", "given_name": "Garry", "family_name": "Holt",
     "date_of_birth": "1960-01-10", "source": "visor"},
    {"person_id": "RMS-3", "given_name": "Dawn", "family_name": "Holt",
     "date_of_birth": "1962-01-01", "source": "rms"},
    {"person_id": "CS-3", "given_name": "Dawn", "family_name": "Holt",
     "date_of_birth": "1962-01-01", "source": "childrens_services"},
]


@pytest.fixture
def queue(store, web_settings, tmp_path):
    child = {"person_id": "RMS-4", "given_name": "Ellie", "family_name": "Holt",
             "date_of_birth": "2016-05-05", "source": "rms"}
    load_graph(store, web_settings, tmp_path, {
        "people": PEOPLE + [child],
        "offenders": [{"person_id": "VIS-2", "registered_from": "2015-01-01",
                       "rosh_level": "high"}],
        "addresses": [{"address_id": "HOUSE", "latitude": 52.64, "longitude": 1.3}],
        "residences": [{"person_id": "RMS-2", "address_id": "HOUSE", "start_date": "2020-01-01"},
                       {"person_id": "RMS-4", "address_id": "HOUSE",
                        "start_date": "2020-01-01"}]})
    evidence = json.dumps([{"field": "given_name", "level": "a short form of the same name",
                            "weight": 3.7, "bayes_factor": 13.0, "a": "kayleigh",
                            "b": "kayley"}])
    store.write_rows("identities/link_set_model", [
        {"a": "CS-3", "b": "RMS-3", "probability": 0.97, "status": "for_review",
         "evidence_json": evidence},
        {"a": "CS-1", "b": "RMS-1", "probability": 0.71, "status": "for_review",
         "evidence_json": evidence},
        {"a": "RMS-2", "b": "VIS-2", "probability": 0.8, "status": "for_review",
         "evidence_json": evidence}], now=datetime.now().isoformat())
    return store


def _ordered_pairs(page: str) -> list[str]:
    import re

    return re.findall(r"<h2>(\S+ and \S+) <span", page)


def test_the_queue_ranks_pairs_that_matter_first_and_shows_them_side_by_side(queue,
                                                                           sign_in_as):
    browser = sign_in_as("intelligence")
    page = browser.get("/identities/review").get_data(as_text=True)
    # confirming RMS-2 = VIS-2 would put an offender in a child's household: it comes before
    # the more probable pair; the other two, which would raise nothing, by probability
    assert _ordered_pairs(page) == ["RMS-2 and VIS-2", "CS-3 and RMS-3", "CS-1 and RMS-1"]
    assert ("confirming would put registered offender VIS-2 in the household of child RMS-4"
            in page)
    assert "agrees" in page and "differs" in page
    assert "a short form of the same name" in page


def test_an_officer_confirms_rejects_and_undoes_with_a_reason(queue, sign_in_as,
                                                              web_settings):
    browser = sign_in_as("intelligence", "jo")
    token = csrf_token(browser, "/identities/review")
    answer = browser.post("/identities/decide", data={
        "a": "CS-1", "b": "RMS-1", "decision": "confirm", "reason": "social worker confirmed",
        "csrf_token": token})
    assert answer.status_code == 303
    assert "confirmed as one person" in browser.get(answer.location).get_data(as_text=True)
    refused = browser.post("/identities/decide", data={
        "a": "CS-1", "b": "RMS-1", "decision": "reject", "reason": "no",
        "csrf_token": token})
    assert refused.status_code == 400
    assert "Undo that decision first" in refused.get_data(as_text=True)
    missing_reason = browser.post("/identities/decide", data={
        "a": "RMS-2", "b": "VIS-2", "decision": "reject", "reason": "", "csrf_token": token})
    assert missing_reason.status_code == 400
    assert "A reason is required" in missing_reason.get_data(as_text=True)
    undone = browser.post("/identities/decide", data={
        "a": "CS-1", "b": "RMS-1", "decision": "undo", "reason": "wrong child",
        "csrf_token": token})
    assert undone.status_code == 303
    statuses = {(x.a, x.b): x.status for x in read_links(queue)}
    assert statuses[("CS-1", "RMS-1")] == "for_review"
    entries = audit.search(web_settings, kind="combination")
    assert [(e.user, e.asked["decision"], e.justification) for e in entries[::-1]] == [
        ("jo", "confirm", "social worker confirmed"), ("jo", "undo", "wrong child")]


def test_a_decision_without_the_csrf_token_is_refused(queue, sign_in_as):
    browser = sign_in_as("intelligence")
    answer = browser.post("/identities/decide", data={
        "a": "CS-1", "b": "RMS-1", "decision": "confirm", "reason": "x"})
    assert answer.status_code == 400
    assert {x.status for x in read_links(queue)} == {"for_review"}


def test_the_entity_page_shows_a_person_once_with_each_sources_record(queue, sign_in_as,
                                                                      web_settings):
    from graphsvc.identities.links import decide_link

    decide_link(queue, web_settings, "CS-1", "RMS-1", decision="confirm", reason="same child",
                by="jo", role="intelligence")
    browser = sign_in_as("intelligence")
    browser.post("/search/reason", data={"justification": "Op Lantern", "next": "/",
                                         "csrf_token": csrf_token(browser, "/search/")})
    page = browser.get("/search/entity/person/RMS-1").get_data(as_text=True)
    assert "Records of this person" in page
    assert "childrens_services" in page and "CS-1" in page
    assert "CS-1 = RMS-1 (confirmed by jo" in page and "same child" in page
    alone = browser.get("/search/entity/person/RMS-2").get_data(as_text=True)
    assert "RMS-2 = VIS-2 (for review, probability 0.800)" in alone
