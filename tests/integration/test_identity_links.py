"""SAME_AS links: officers confirm, reject and undo them; contradictions are refused; audited."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

import pytest

from graphsvc import audit
from graphsvc.errors import InputError, NotFound
from graphsvc.identities.links import decide_link, list_identities, read_links
from tests.factories import load_graph

PEOPLE = [
    {"person_id": "CS-1", "given_name": "Kayleigh", "family_name": "Ward",
     "date_of_birth": "2010-04-03", "source": "childrens_services"},
    {"person_id": "RMS-1", "given_name": "Kayley", "family_name": "Ward",
     "date_of_birth": "2010-04-03", "source": "rms"},
    {"person_id": "VIS-1", "given_name": "Kayleigh", "family_name": "Ward",
     "date_of_birth": "2010-03-04", "source": "visor"},
    {"person_id": "RMS-2", "given_name": "Kay", "family_name": "Ward",
     "date_of_birth": "2010-04-03", "source": "rms"},
]


@pytest.fixture
def graph(store, settings, tmp_path):
    load_graph(store, settings, tmp_path, {"people": PEOPLE})
    return store


@pytest.fixture
def own_log(settings, tmp_path):
    """The test's settings with an audit log of its own."""
    return replace(settings, app_data_dir=tmp_path / "app")


def _propose(store, *pairs):
    """Links as linkage writes them: (a, b, probability, status)."""
    store.write_rows("identities/link_set_model",
                     [{"a": a, "b": b, "probability": p, "status": s,
                       "evidence_json": json.dumps([{"field": "given_name", "level": "exact"}])}
                      for a, b, p, s in pairs], now=datetime.now().isoformat())


def _statuses(store):
    return {(x.a, x.b): x.status for x in read_links(store)}


def test_confirming_a_review_pair_links_the_records_and_audits_a_combination(graph, own_log):
    _propose(graph, ("CS-1", "RMS-1", 0.7, "for_review"))
    done = decide_link(graph, own_log, "RMS-1", "CS-1", decision="confirm",
                       reason="Same child: social worker confirmed", by="jo", role="intelligence")
    assert (done.from_status, done.to_status) == ("for_review", "confirmed")
    assert _statuses(graph) == {("CS-1", "RMS-1"): "confirmed"}
    people = list_identities(graph)
    assert [i.kind for i in people] == ["person"]
    assert [r["person_id"] for r in people[0].records] == ["CS-1", "RMS-1"]
    keys = graph.read("identities/identity_keys_held")
    assert {r["person_id"]: r["identity_key"] for r in keys} == {"CS-1": "CS-1", "RMS-1": "CS-1"}
    entry = audit.search(own_log, kind="combination")[0]  # newest first
    assert entry.user == "jo" and entry.justification == "Same child: social worker confirmed"
    assert entry.asked["decision"] == "confirm" and entry.asked["to_status"] == "confirmed"
    assert set(entry.shown) == {"person_id=CS-1", "person_id=RMS-1"}


def test_undo_returns_a_pair_to_what_linkage_said_and_a_new_link_to_nothing(graph, own_log):
    _propose(graph, ("CS-1", "RMS-1", 0.7, "for_review"))
    decide_link(graph, own_log, "CS-1", "RMS-1", decision="reject", reason="different mother",
                by="jo", role="intelligence")
    decide_link(graph, own_log, "CS-1", "RMS-1", decision="undo", reason="mistake", by="jo",
                role="intelligence")
    assert _statuses(graph) == {("CS-1", "RMS-1"): "for_review"}
    decide_link(graph, own_log, "CS-1", "VIS-1", decision="confirm", reason="same PNC on file",
                by="jo", role="intelligence")
    decide_link(graph, own_log, "CS-1", "VIS-1", decision="undo", reason="wrong file", by="jo",
                role="intelligence")
    assert ("CS-1", "VIS-1") not in _statuses(graph)
    assert graph.read("identities/identity_keys_held") == []
    assert [e.asked["decision"] for e in audit.search(own_log, kind="combination")][::-1] == [
        "reject", "undo", "confirm", "undo"]


def test_confirming_against_a_rejection_is_refused_naming_it(graph, own_log):
    # RMS-1 = VIS-1 is linked automatically; CS-1 ≠ VIS-1 was rejected by an officer.
    _propose(graph, ("RMS-1", "VIS-1", 0.999, "automatic"), ("CS-1", "VIS-1", 0.6, "for_review"))
    decide_link(graph, own_log, "CS-1", "VIS-1", decision="reject", reason="different child",
                by="sam", role="intelligence")
    before = _statuses(graph)
    with pytest.raises(InputError, match=r"CS-1 ≠ VIS-1 \(rejected by sam on .*would make "
                                         r"CS-1 and VIS-1 one person"):
        decide_link(graph, own_log, "CS-1", "RMS-1", decision="confirm", reason="looks alike",
                    by="jo", role="intelligence")
    assert _statuses(graph) == before
    assert len(audit.search(own_log, kind="combination")) == 1


def test_automatic_links_join_one_record_per_source_but_an_officer_may_join_more(graph,
                                                                                own_log):
    _propose(graph, ("CS-1", "RMS-1", 0.999, "automatic"), ("CS-1", "RMS-2", 0.98, "automatic"))
    people = list_identities(graph)
    assert [[r["person_id"] for r in i.records] for i in people if i.kind == "person"] == [
        ["CS-1", "RMS-1"]]
    decide_link(graph, own_log, "RMS-1", "RMS-2", decision="confirm",
                reason="duplicate RMS nominal", by="jo", role="intelligence")
    keys = {r["person_id"]: r["identity_key"] for r in graph.read("identities/identity_keys_held")}
    assert keys == {"CS-1": "CS-1", "RMS-1": "CS-1", "RMS-2": "CS-1"}


def test_rejecting_records_joined_by_confirmed_links_is_refused(graph, own_log):
    for a, b in (("CS-1", "RMS-1"), ("RMS-1", "VIS-1")):
        decide_link(graph, own_log, a, b, decision="confirm", reason="checked", by="jo",
                    role="intelligence")
    with pytest.raises(InputError, match="CS-1 = RMS-1 \\(confirmed by jo"):
        decide_link(graph, own_log, "CS-1", "VIS-1", decision="reject", reason="no", by="sam",
                    role="intelligence")
    with pytest.raises(InputError, match="already"):
        decide_link(graph, own_log, "CS-1", "RMS-1", decision="confirm", reason="again",
                    by="sam", role="intelligence")
    with pytest.raises(InputError, match="Undo that decision first"):
        decide_link(graph, own_log, "CS-1", "RMS-1", decision="reject", reason="changed mind",
                    by="sam", role="intelligence")


def test_bad_decisions_are_refused_in_plain_words(graph, own_log):
    with pytest.raises(NotFound, match="No person record NOPE"):
        decide_link(graph, own_log, "CS-1", "NOPE", decision="confirm", reason="x", by="jo",
                    role="intelligence")
    with pytest.raises(InputError, match="same record"):
        decide_link(graph, own_log, "CS-1", "CS-1", decision="confirm", reason="x", by="jo",
                    role="intelligence")
    with pytest.raises(InputError, match="reason is required"):
        decide_link(graph, own_log, "CS-1", "RMS-1", decision="confirm", reason=" ", by="jo",
                    role="intelligence")
    with pytest.raises(InputError, match="no officer's decision"):
        decide_link(graph, own_log, "CS-1", "RMS-1", decision="undo", reason="x", by="jo",
                    role="intelligence")
    assert read_links(graph) == []
    assert audit.search(own_log, kind="combination") == []


def test_linking_never_changes_a_records_own_fields(graph, own_log):
    before = graph.read("identities/records", )
    decide_link(graph, own_log, "CS-1", "RMS-1", decision="confirm", reason="same", by="jo",
                role="intelligence")
    after = graph.read("identities/records")
    assert sorted(before, key=str) == sorted(after, key=str)


def test_cli_decide_and_list(graph, run_cli, tmp_path):
    env = {"GRAPHSVC_APP_DIR": str(tmp_path / "cliapp")}
    _propose(graph, ("CS-1", "RMS-1", 0.72, "for_review"))
    listed = run_cli("identities", "list", "--status", "for_review", env=env)
    assert listed.returncode == 0, listed.stderr
    assert "CS-1 = RMS-1 (for review, probability 0.720)" in listed.stdout
    done = run_cli("identities", "decide", "CS-1", "RMS-1", "--confirm", "--reason",
                   "same child", "--by", "jo", env=env)
    assert done.returncode == 0, done.stderr
    assert "confirmed as one person" in done.stdout
    refused = run_cli("identities", "decide", "CS-1", "RMS-1", "--reject", "--reason", "no",
                      env=env)
    assert refused.returncode == 2
    assert "Undo that decision first" in refused.stderr and "Traceback" not in refused.stderr
    out = json.loads(run_cli("identities", "list", "--format", "json", env=env).stdout)
    assert out[0]["kind"] == "person" and out[0]["links"][0]["status"] == "confirmed"
    none = run_cli("identities", "decide", "CS-1", "RMS-1", "--reason", "x", env=env)
    assert none.returncode == 2 and "--confirm, --reject or --undo" in none.stderr
