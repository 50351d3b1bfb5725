"""Flag identity, merging of rule rows, and what a run does to existing flags."""

from __future__ import annotations

import hashlib
import json

import pytest

from graphsvc import flags, model


def _row(identity, severity="high", material=(), entities=None, evidence=None):
    return {"identity": list(identity), "severity": severity, "summary": "s",
            "entities": entities or [{"label_key": k.split("=")[0], "key": k.split("=")[1],
                                      "role": "x"} for k in identity],
            "evidence": evidence or {}, "material": list(material)}


def test_flag_id_is_rule_plus_hash_of_sorted_keys():
    digest = hashlib.sha256(b"person_id=C1\nperson_id=O1").hexdigest()[:16]
    assert flags.flag_id("r", ["person_id=O1", "person_id=C1"]) == f"r:{digest}"
    assert flags.flag_id("r", ["person_id=C1", "person_id=O1"]) == f"r:{digest}"


def test_rows_with_the_same_identity_merge_and_the_worst_severity_wins():
    found = flags.found_from_rows("r", [
        _row(["person_id=C1"], "high", ["incident_id=I1"], evidence={"a": 1}),
        _row(["person_id=C1"], "critical", ["incident_id=I2"], evidence={"b": 2}),
    ])
    (item,) = found
    assert item.severity == "critical"
    assert item.material == ["incident_id=I1", "incident_id=I2"]
    assert item.evidence == {"a": 1, "b": 2}


def test_rows_of_equal_severity_keep_both_evidence_and_summaries():
    one = _row(["person_id=C1", "address_id=A1"], "medium", evidence={"incidents": ["I1"]})
    two = _row(["person_id=C1", "address_id=A1"], "medium", evidence={"placement": "P1"})
    two["summary"] = "told late"
    (item,) = flags.found_from_rows("r", [one, two])
    assert item.evidence == {"incidents": ["I1"], "placement": "P1"}
    assert item.summary == "s told late"


def test_rows_of_one_identity_merge_alike_in_whatever_order_they_come():
    """Two placements of one child at one address (unnotified_placement): the engine may
    return them in either order (an incremental and a full run use other plans); the flag's
    summary and evidence are the same."""
    rows = []
    for placement in ("PL58", "PL53"):
        row = _row(["person_id=C1", "address_id=A1"], "medium",
                   evidence={"placement": {"placement_id": placement}})
        row["summary"] = f"Placement {placement} was not notified."
        rows.append(row)
    (one,) = flags.found_from_rows("r", rows)
    (two,) = flags.found_from_rows("r", rows[::-1])
    assert (one.summary, one.evidence) == (two.summary, two.evidence)
    assert one.summary == "Placement PL53 was not notified. Placement PL58 was not notified."


def test_plan_changes_covers_new_updated_resolved_reopened():
    found = flags.found_from_rows("r", [
        _row(["person_id=NEW"]),
        _row(["person_id=SAME"], material=["incident_id=I1"]),
        _row(["person_id=BACK"]),
        _row(["person_id=GREW"], material=["incident_id=I1", "incident_id=I2"]),
        _row(["person_id=WORSE"], severity="critical"),
    ])
    fid = {f.identity[0]: f.flag_id for f in found}
    gone = flags.flag_id("r", ["person_id=GONE"])
    existing = {
        fid["person_id=SAME"]: {"status": "actioned", "severity": "high",
                                "material_keys": ["incident_id=I1"]},
        fid["person_id=BACK"]: {"status": "resolved", "severity": "high", "material_keys": []},
        fid["person_id=GREW"]: {"status": "no_further_action", "severity": "high",
                                "material_keys": ["incident_id=I1"]},
        fid["person_id=WORSE"]: {"status": "actioned", "severity": "high", "material_keys": []},
        gone: {"status": "under_review", "severity": "high", "material_keys": []},
    }
    changes = flags.plan_changes(existing, found)
    by_id = {row["flag_id"]: row for row in changes.upserts}
    assert (changes.new, changes.updated, changes.resolved, changes.reopened) == (1, 1, 1, 3)
    assert by_id[fid["person_id=NEW"]]["event_kind"] == "raised"
    assert by_id[fid["person_id=SAME"]]["status"] == "actioned"
    assert by_id[fid["person_id=SAME"]]["event_kind"] is None
    assert by_id[fid["person_id=BACK"]]["status"] == "new"
    assert by_id[fid["person_id=GREW"]]["status"] == model.REOPEN
    assert "incident_id=I2" in by_id[fid["person_id=GREW"]]["reason"]
    assert "severity rose from high to critical" in by_id[fid["person_id=WORSE"]]["reason"]
    assert [r["flag_id"] for r in changes.resolves] == [gone]


def test_a_flag_found_again_unchanged_is_only_touched_and_a_changed_one_rewritten():
    first = flags.found_from_rows("r", [_row(["person_id=C1"], evidence={"d": 1.5}),
                                        _row(["person_id=C2"])])
    stored = {row["flag_id"]: {"status": "new", "severity": row["severity"],
                               "material_keys": row["material_keys"],
                               "concerns_hash": row["concerns_hash"],
                               "content_hash": row["content_hash"]}
              for row in flags.plan_changes({}, first).upserts}
    again = flags.found_from_rows("r", [_row(["person_id=C1"], evidence={"d": 1.6}),
                                        _row(["person_id=C2"])])
    changes = flags.plan_changes(stored, again)
    c1, c2 = (f.flag_id for f in again)
    assert [row["flag_id"] for row in changes.upserts] == [c1]
    assert changes.touched == [{"flag_id": c2}]
    assert changes.updated == 2 and not changes.upserts[0]["relink"]
    earlier = {fid: {**flag, "content_hash": None} for fid, flag in stored.items()}
    assert len(flags.plan_changes(earlier, again).upserts) == 2  # stored before the hash


def test_a_flag_found_again_with_its_lists_in_another_order_is_only_touched():
    # An engine collects in any order: the same children listed otherwise are the same evidence.
    def found(children: list[dict], keys: list[str]):
        return flags.found_from_rows("r", [_row(["person_id=H1"], evidence={"children": children},
                                                material=keys)])
    first = found([{"id": "C1", "concerns": ["I1", "I2"]}, {"id": "C2", "concerns": []}],
                  ["person_id=C1", "person_id=C2"])
    stored = {row["flag_id"]: {"status": "new", "severity": row["severity"],
                               "material_keys": row["material_keys"],
                               "concerns_hash": row["concerns_hash"],
                               "content_hash": row["content_hash"]}
              for row in flags.plan_changes({}, first).upserts}
    shuffled = found([{"id": "C2", "concerns": []}, {"id": "C1", "concerns": ["I2", "I1"]}],
                     ["person_id=C2", "person_id=C1"])
    assert flags.plan_changes(stored, shuffled).upserts == []
    grown = found([{"id": "C2", "concerns": ["I3"]}, {"id": "C1", "concerns": ["I2", "I1"]}],
                  ["person_id=C2", "person_id=C1"])
    assert len(flags.plan_changes(stored, grown).upserts) == 1


def test_material_items_read_without_the_flags_are_asked_for_only_when_content_changed():
    # An incremental run reads standing flags without their material items (flags/by_keys).
    def found(keys: list[str]):
        return flags.found_from_rows("r", [_row(["person_id=H1"], material=keys),
                                           _row(["person_id=H2"], material=["person_id=C9"])])
    first = found(["person_id=C1"])
    stored = {row["flag_id"]: {"status": "new", "severity": row["severity"],
                               "concerns_hash": row["concerns_hash"],
                               "content_hash": row["content_hash"]}
              for row in flags.plan_changes({}, first).upserts}
    material = {row["flag_id"]: row["material_keys"]
                for row in flags.plan_changes({}, first).upserts}
    asked: list[list[str]] = []

    def material_of(ids: list[str]) -> dict[str, list[str]]:
        asked.append(ids)
        return {fid: material[fid] for fid in ids}

    assert flags.plan_changes(stored, found(["person_id=C1"]), material_of).upserts == []
    assert asked == []
    grown = flags.plan_changes(stored, found(["person_id=C1", "person_id=C2"]), material_of)
    (h1, _) = (f.flag_id for f in first)
    assert asked == [[h1]]
    assert [(r["flag_id"], r["event_kind"]) for r in grown.upserts] == [(h1, "evidence_changed")]
    assert "person_id=C2" in grown.upserts[0]["reason"]
    with pytest.raises(ValueError):
        flags.plan_changes(stored, found(["person_id=C3"]))


def test_group_keys_groups_business_keys_by_name():
    assert flags.group_keys(["person_id=P2", "address_id=A9", "person_id=P1"]) == {
        "address_id": ["A9"], "person_id": ["P1", "P2"]}


def test_the_content_text_is_json_with_every_list_in_the_order_of_its_items_texts():
    # Stored flags hold hashes of this text: it must stay what json.dumps(sort_keys=True) writes
    # for the same content with its lists sorted, or every flag would be rewritten once.
    from graphsvc.flags.lifecycle import _in_any_order

    value = {"b": [{"id": "C2", "n": 2, "via": ["x:2", "a:1"]}, {"id": "C1", "n": 1.5, "via": []}],
             "a": ["é", None, True, 3], "as_of": "2025-06-30"}

    def sorted_lists(v):
        if isinstance(v, dict):
            return {k: sorted_lists(x) for k, x in v.items()}
        if isinstance(v, list):
            return sorted((sorted_lists(x) for x in v), key=lambda x: json.dumps(x, sort_keys=True))
        return v

    assert _in_any_order(value) == json.dumps(sorted_lists(value), sort_keys=True)
    reordered = {"as_of": "2025-06-30", "a": [3, True, None, "é"],
                 "b": [{"via": [], "n": 1.5, "id": "C1"},
                       {"id": "C2", "via": ["a:1", "x:2"], "n": 2}]}
    assert _in_any_order(reordered) == _in_any_order(value)
    assert _in_any_order({**value, "a": ["é"]}) != _in_any_order(value)
