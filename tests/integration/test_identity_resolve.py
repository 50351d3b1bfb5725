"""Linkage with Splink on the real engine: a trained model, statuses, decisions kept, PNC."""

from __future__ import annotations

import json
from dataclasses import replace

from graphsvc.identities.evaluate import evaluate_links
from graphsvc.identities.links import decide_link, read_links
from graphsvc.identities.resolve import resolve_identities
from tests.factories import load_graph


def _link_rows(store):
    return [{"a": x.a, "b": x.b, "a_source": x.a_source, "b_source": x.b_source,
             "status": x.status, "probability": x.probability} for x in read_links(store)]


def _sources(store):
    return {r["person_id"]: r["source"] for r in store.read("identities/records")}


def test_the_county_is_linked_accurately_with_a_small_review_queue(linked_county):
    store, truth = linked_county["store"], linked_county["truth"]
    report = linked_county["report"]
    assert report.trained and linked_county["model_path"].is_file()
    saved = json.loads(linked_county["model_path"].read_text())
    assert {c["output_column_name"] for c in saved["comparisons"]} >= {"given_name", "dob"}
    figures = evaluate_links(_link_rows(store), truth["records"], _sources(store))
    assert figures["precision"] >= 0.99, figures
    assert figures["recall"] >= 0.9, figures
    assert figures["review_queue"] <= 0.01 * report.records, figures


def test_twins_and_a_father_and_son_of_one_name_stay_apart(linked_county):
    store, truth = linked_county["store"], linked_county["truth"]
    keys = {r["person_id"]: r["identity_key"] or r["person_id"]
            for r in store.read("identities/records_by_id", ids=list(truth["records"]))}
    checked = 0
    for kind in ("twins", "father_son", "mother_daughter"):
        for group in truth["lookalikes"][kind]:
            people = {}
            for record in group:
                people.setdefault(truth["records"][record], set()).add(keys[record])
            first, second = people.values()
            assert not first & second, (kind, group)
            checked += 1
    assert checked >= 10


def test_each_link_carries_its_probability_and_evidence(linked_county):
    link = next(x for x in read_links(linked_county["store"]) if x.status == "automatic")
    assert link.probability >= linked_county["settings"].link_automatic
    fields = {e["field"] for e in link.evidence}
    assert {"given_name", "family_name", "dob"} <= fields
    assert all("level" in e for e in link.evidence)


PEOPLE = [
    # A ViSOR offender and an RMS record with one PNC id, the name spelt differently.
    {"person_id": "VIS-9", "given_name": "Jonathan", "family_name": "Pryce",
     "date_of_birth": "1979-02-11", "gender": "male", "pnc_id": "79/123456A",
     "source": "visor"},
    {"person_id": "RMS-9", "given_name": "Jon", "family_name": "Price",
     "date_of_birth": "1979-11-02", "gender": "male", "pnc_id": "79/123456a", "source": "rms"},
    # A placed child and her RMS record: a slight spelling difference, one date of birth.
    {"person_id": "CS-9", "given_name": "Kayleigh", "family_name": "Dunmore",
     "date_of_birth": "2011-06-21", "gender": "female", "source": "childrens_services"},
    {"person_id": "RMS-8", "given_name": "Kayley", "family_name": "Dunmore",
     "date_of_birth": "2011-06-21", "gender": "female", "source": "rms"},
    # A record with neither name nor date of birth, sharing the offender's PNC id.
    {"person_id": "CS-7", "pnc_id": "79/123456A", "source": "childrens_services"},
]


def test_pnc_agreement_links_outright_and_a_bare_record_is_never_automatic(
        store, settings, tmp_path, linked_county):
    load_graph(store, settings, tmp_path, {"people": PEOPLE})
    own = replace(settings, app_data_dir=tmp_path / "app")
    resolve_identities(store, own, by="test", role="intelligence",
                       model_path=linked_county["model_path"])
    links = {(x.a, x.b): x for x in read_links(store)}
    pnc = links[("RMS-9", "VIS-9")]
    assert pnc.status == "automatic" and pnc.probability == 1.0
    assert pnc.evidence[0]["level"] == "same PNC id: linked outright"
    assert links[("CS-9", "RMS-8")].status == "automatic"
    assert links[("CS-7", "VIS-9")].status == "for_review"
    assert all(x.status != "automatic" for k, x in links.items() if "CS-7" in k)


def test_a_rejection_and_a_confirmation_survive_relinkage(store, settings, tmp_path,
                                                         linked_county):
    load_graph(store, settings, tmp_path, {"people": PEOPLE})
    own = replace(settings, app_data_dir=tmp_path / "app")
    model = linked_county["model_path"]
    resolve_identities(store, own, by="test", role="intelligence", model_path=model)
    decide_link(store, own, "CS-9", "RMS-8", decision="reject", reason="different child",
                by="jo", role="intelligence")
    decide_link(store, own, "CS-7", "VIS-9", decision="confirm", reason="same file",
                by="jo", role="intelligence")
    again = resolve_identities(store, own, by="test", role="intelligence", model_path=model)
    statuses = {(x.a, x.b): x.status for x in read_links(store)}
    assert statuses[("CS-9", "RMS-8")] == "rejected"
    assert statuses[("CS-7", "VIS-9")] == "confirmed"
    assert again.kept_decisions >= 2
    keys = {r["person_id"]: r["identity_key"]
            for r in store.read("identities/records_by_id", ids=["CS-9", "RMS-8"])}
    assert keys == {"CS-9": None, "RMS-8": None}


def test_cli_resolve_links_and_refuses_to_train_on_too_few_records(store, settings, tmp_path,
                                                              run_cli, linked_county):
    env = {"GRAPHSVC_APP_DIR": str(tmp_path / "cliapp")}
    load_graph(store, settings, tmp_path, {"people": PEOPLE[:2]})
    first = run_cli("identities", "resolve", "--model", str(linked_county["model_path"]),
                    env=env)
    assert first.returncode == 0, first.stderr
    assert "1 pairs linked automatically" in first.stdout
    trained = run_cli("identities", "resolve", "--format", "json", env=env)
    assert trained.returncode == 2
    assert "cannot be trained on 2 records" in trained.stderr
    assert "Traceback" not in trained.stderr


def test_synth_writes_a_county_in_three_id_spaces_with_its_truth(run_cli, tmp_path):
    out = tmp_path / "ids"
    done = run_cli("synth", "--id-spaces", "--out", str(out), "--seed", "3")
    assert done.returncode == 0, done.stderr
    truth = json.loads((out / "linkage_truth.json").read_text())
    prefixes = {record.split("-")[0] for record in truth["records"]}
    assert prefixes == {"RMS", "CS", "VIS"}
    people = (out / "people.csv").read_text().splitlines()
    assert len(people) - 1 == len(truth["records"])
    assert len(set(truth["records"].values())) < len(truth["records"])  # some are linked
    assert truth["lookalikes"]["twins"] and truth["lookalikes"]["father_son"]
