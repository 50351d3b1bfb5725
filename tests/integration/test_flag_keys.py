"""An incremental run reads only the standing flags its change can meet, by their keys
(graphsvc/flags/keys.py): those keys must find every flag that concerns a changed record, even
one whose record was deleted, and flags stored before keys existed."""

from __future__ import annotations

from graphsvc import flags
from graphsvc.changes import ChangeSet
from graphsvc.flags.keys import ensure_keyed, flags_meeting, write_keys
from graphsvc.importer import import_folder
from graphsvc.rules import run_rule
from tests.factories import write_folder
from tests.rule_data import AS_OF, NORWICH, Graph

PROXIMITY = "ooa_child_near_high_risk_offender"


def _county(store, settings, tmp_path) -> str:
    """A child placed out of area near a high-risk offender: one proximity flag."""
    g = (Graph().person("C1", 14).person("O1", 45).person("X1", 30)
         .address("HOME_C", *NORWICH, address_type="childrens_home")
         .address("HOME_O", NORWICH[0] + 0.003, NORWICH[1])
         .home("O1", "HOME_O", start_date="2020-01-01").offender("O1", rosh="high")
         .placement("PL1", "C1", "HOME_C", start="2024-01-01"))
    import_folder(store, write_folder(tmp_path / "base", g.tables), settings=settings)
    assert run_rule(store, PROXIMITY, as_of=AS_OF).error is None
    (flag,) = flags.list_flags(store, rule=PROXIMITY)
    return flag["flag_id"]


def test_the_keys_of_a_flag_find_it_and_nothing_else(store, settings, tmp_path):
    fid = _county(store, settings, tmp_path)
    ensure_keyed(store)
    assert set(flags_meeting(store, PROXIMITY, ["person_id=C1"])) == {fid}
    assert set(flags_meeting(store, PROXIMITY, ["person_id=O1", "person_id=X1"])) == {fid}
    assert flags_meeting(store, PROXIMITY, ["person_id=X1", "address_id=ELSEWHERE"]) == {}
    assert flags_meeting(store, "repeat_missing_child", ["person_id=C1"]) == {}
    assert flags_meeting(store, PROXIMITY, []) == {}


def test_a_flag_whose_record_was_deleted_is_found_and_resolved(store, settings, tmp_path):
    fid = _county(store, settings, tmp_path)
    store.write("tests_incremental/delete_node", key="O1")  # its CONCERNS links go with it
    assert set(flags_meeting(store, PROXIMITY, ["person_id=O1"])) == {fid}
    changed = ChangeSet()
    changed.add("person_id", "O1")
    assert run_rule(store, PROXIMITY, as_of=AS_OF, changed=changed).error is None
    assert flags.get_flag(store, fid)["status"] == "resolved"


def test_flags_stored_before_keys_existed_are_keyed_once(store, settings, tmp_path):
    fid = _county(store, settings, tmp_path)
    store.write("tests_incremental/unkey_flags")  # as a graph from before keys
    assert flags_meeting(store, PROXIMITY, ["person_id=C1"]) == {}
    ensure_keyed(store)
    assert set(flags_meeting(store, PROXIMITY, ["person_id=C1"])) == {fid}
    store.write("tests_incremental/unkey_flags")
    changed = ChangeSet()
    changed.add("person_id", "O1")
    store.write("tests_incremental/delete_node", key="O1")
    assert run_rule(store, PROXIMITY, as_of=AS_OF, changed=changed).error is None
    assert flags.get_flag(store, fid)["status"] == "resolved"


def test_a_standing_flags_old_keys_are_pruned_and_a_raised_flags_are_not_looked_for(
        store, settings, tmp_path):
    fid = _county(store, settings, tmp_path)
    ensure_keyed(store)
    (row,) = [r for r in store.read("flags/keys_all") if r["flag_id"] == fid]
    current = list(row["concerned_keys"])
    write_keys(store, [{"flag_id": fid, "concerned_keys": [*current, "person_id=X1"]}])
    assert set(flags_meeting(store, PROXIMITY, ["person_id=X1"])) == {fid}
    # A flag its run raised has no links but the ones written now: nothing is pruned.
    write_keys(store, [{"flag_id": fid, "concerned_keys": current}], raised={fid})
    assert set(flags_meeting(store, PROXIMITY, ["person_id=X1"])) == {fid}
    write_keys(store, [{"flag_id": fid, "concerned_keys": current}])
    assert flags_meeting(store, PROXIMITY, ["person_id=X1"]) == {}
    assert set(flags_meeting(store, PROXIMITY, ["person_id=C1"])) == {fid}
